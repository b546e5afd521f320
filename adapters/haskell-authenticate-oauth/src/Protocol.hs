{-# LANGUAGE OverloadedStrings #-}
-- | The protocol loop of adapters/PROTOCOL.md (version 1) for the Haskell adapter. A handler
-- returns the @result@ object, or throws 'Rejected' (the library refused the input),
-- 'Unsupported' (the input cannot be expressed through the library's API) or 'Crashed' (the
-- library crashed on the input); any other exception is an adapter failure, answered as @error@.
module Protocol
  ( Handler
  , Rejected (..)
  , Unsupported (..)
  , Crashed (..)
  , library
  , field
  , text
  , object'
  , runAdapter
  ) where

import Control.Exception hiding (Handler)
import Control.Monad (unless)
import qualified Data.Aeson as A
import qualified Data.Aeson.Key as K
import qualified Data.Aeson.KeyMap as KM
import qualified Data.ByteString as B
import qualified Data.ByteString.Char8 as BC
import qualified Data.ByteString.Lazy as BL
import qualified Data.Text as T
import qualified Data.Text.Encoding as TE
import System.IO

type Handler = A.Value -> IO A.Value

-- | The library refused the input: a result, judged against the case.
newtype Rejected = Rejected T.Text deriving (Show)

instance Exception Rejected

-- | The input cannot be expressed through the library's API: answered @unsupported@ (the case is
-- skipped, with this reason).
newtype Unsupported = Unsupported T.Text deriving (Show)

instance Exception Unsupported

-- | The library crashed on the input: an exception outside its error types (an @error@ call, a
-- failed pattern match): answered @crashed@, a finding.
newtype Crashed = Crashed T.Text deriving (Show)

instance Exception Crashed

-- | Runs a library call, forcing its result with @force@ inside the handler (the library's
-- errors may be lazy). What it throws names the call: an exception @refusal@ recognises (the
-- library's error types) is its refusal of the input, anything else a crash.
library :: (SomeException -> Bool) -> T.Text -> (a -> IO ()) -> IO a -> IO a
library refusal what force call = do
  outcome <- try (call >>= \value -> force value >> return value)
  case outcome of
    Right value -> return value
    Left e
      | Just (Unsupported _) <- fromException e -> throwIO e
      | refusal e -> throwIO (Rejected described)
      | otherwise -> throwIO (Crashed described)
      where
        described = what <> " threw " <> T.pack (displayException (e :: SomeException))

field :: T.Text -> A.Value -> Maybe A.Value
field key (A.Object o) = KM.lookup (K.fromText key) o
field _ _ = Nothing

-- | A string member, Nothing when absent or null.
text :: T.Text -> A.Value -> Maybe T.Text
text key value = case field key value of
  Just (A.String s) -> Just s
  _ -> Nothing

-- | An object member, the empty object when absent.
object' :: T.Text -> A.Value -> A.Value
object' key value = case field key value of
  Just o@(A.Object _) -> o
  _ -> A.object []

-- | The answer's members but its id.
answer :: [(T.Text, Handler)] -> A.Value -> IO A.Object
answer handlers message = case text "cmd" message >>= (`lookup` handlers) of
  Nothing -> return (KM.fromList ["error" A..= A.object ["message" A..= ("unsupported command" :: T.Text)]])
  Just handler -> do
    outcome <- try (handler message >>= evaluate)
    return . KM.fromList $ case outcome of
      Right result -> ["result" A..= result]
      Left e
        | Just (Rejected m) <- fromException e -> ["rejected" A..= A.object ["reason" A..= A.Null, "message" A..= m]]
        | Just (Unsupported m) <- fromException e -> ["unsupported" A..= A.object ["message" A..= m]]
        | Just (Crashed m) <- fromException e -> ["crashed" A..= A.object ["message" A..= m]]
        | otherwise -> ["error" A..= A.object ["message" A..= ("adapter failed: " <> T.pack (displayException (e :: SomeException)))]]

handshake :: A.Value -> A.Value -> A.Value
handshake implementation message = case field "protocol" message of
  Just (A.Number 1) -> A.object ["ok" A..= True, "protocol" A..= (1 :: Int), "implementation" A..= implementation]
  other -> A.object ["ok" A..= False, "error" A..= ("this adapter speaks protocol 1, not " <> maybe "null" (TE.decodeUtf8 . BL.toStrict . A.encode) other)]

-- | Serves stdin until @stop@ or end of file. @implementation@ is the handshake's object.
runAdapter :: A.Value -> [(T.Text, Handler)] -> IO ()
runAdapter implementation handlers = do
  hSetBinaryMode stdin True
  hSetBinaryMode stdout True
  hSetBuffering stdout (BlockBuffering Nothing)
  let write value = BL.hPut stdout (A.encode value) >> BC.hPut stdout "\n"
      loop = do
        eof <- isEOF
        unless eof $ do
          line <- B.hGetLine stdin
          case A.decodeStrict' line of
            Just message@(A.Object _) -> dispatch message
            _ -> hPutStrLn stderr "ignoring a line that is not a JSON object" >> loop
      dispatch message = case text "cmd" message of
        Just "stop" -> write (A.object ["ok" A..= True]) >> hFlush stdout
        Just "start" -> write (handshake implementation message) >> hFlush stdout >> loop
        _ -> case field "id" message of
          Just (A.Number n) -> do
            reply <- answer handlers message
            write (A.Object (KM.insert "id" (A.Number n) reply))
            -- Flushed once no further request is waiting: a pipelined burst costs one write.
            more <- hReady stdin `catch` \e -> const (return False) (e :: IOException)
            unless more (hFlush stdout)
            loop
          _ -> hPutStrLn stderr "ignoring a request without an integer id" >> loop
  loop
  hFlush stdout
