{-# LANGUAGE OverloadedStrings #-}
-- | adapters/haskell-authenticate-oauth/build.sh test   (from the repository root)
--
-- Starts the adapter as the harness does and checks it against published values: the PLAINTEXT
-- request token request of OAuth Core 1.0a Appendix A.5.1 (signature kd94hf93k423kf44&, which no
-- nonce or timestamp changes), and for the verifier the protected resource request of Appendix
-- A.5.2 with its published header (signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=), then the same header
-- with a changed nonce. Exits 1 on the first failed check.
module Main (main) where

import Control.Monad (unless)
import qualified Data.Aeson as A
import qualified Data.Aeson.Key as K
import qualified Data.Aeson.KeyMap as KM
import qualified Data.ByteString.Char8 as BC
import qualified Data.ByteString.Lazy.Char8 as BL
import Data.Char (isDigit, isLower)
import qualified Data.Text as T
import Data.Time.Clock.POSIX (getPOSIXTime)
import System.Environment (getArgs)
import System.Exit (exitFailure)
import System.IO
import System.Process

data Session = Session Handle Handle ProcessHandle

start :: FilePath -> String -> IO (Session, A.Value)
start adapter variant = do
  (Just to, Just from, _, process) <- createProcess (proc adapter ["--variant", variant]) {std_in = CreatePipe, std_out = CreatePipe}
  let session = Session to from process
  handshake <- exchange session (A.object ["cmd" A..= ("start" :: T.Text), "protocol" A..= (1 :: Int)])
  return (session, handshake)

exchange :: Session -> A.Value -> IO A.Value
exchange (Session to from _) message = do
  BL.hPutStrLn to (A.encode message) >> hFlush to
  line <- BC.hGetLine from
  maybe (fail ("not JSON: " ++ BC.unpack line)) return (A.decodeStrict line)

stop :: Session -> IO ()
stop session@(Session _ _ process) = do
  _ <- exchange session (A.object ["cmd" A..= ("stop" :: T.Text)])
  _ <- waitForProcess process
  return ()

at :: [T.Text] -> A.Value -> Maybe A.Value
at [] value = Just value
at (k : ks) (A.Object o) = KM.lookup (K.fromText k) o >>= at ks
at _ _ = Nothing

check :: String -> Bool -> IO ()
check what ok = unless ok (hPutStrLn stderr ("FAIL: " ++ what) >> exitFailure) >> putStrLn ("ok: " ++ what)

appendixA51 :: T.Text -> A.Value
appendixA51 version = A.object
  [ "cmd" A..= ("sign" :: T.Text), "id" A..= (1 :: Int)
  , "request" A..= A.object ["method" A..= ("POST" :: T.Text), "url" A..= ("https://photos.example.net/request_token" :: T.Text), "content_type" A..= A.Null, "body" A..= A.Null]
  , "oauth" A..= A.object ["consumer_key" A..= ("dpf43f3p2l4k3l03" :: T.Text), "token" A..= A.Null, "signature_method" A..= ("PLAINTEXT" :: T.Text), "timestamp" A..= ("1191242090" :: T.Text), "nonce" A..= ("hsu94j3884jdopsl" :: T.Text), "version" A..= version, "realm" A..= A.Null, "extra" A..= A.object []]
  , "secrets" A..= A.object ["consumer_secret" A..= ("kd94hf93k423kf44" :: T.Text), "token_secret" A..= A.Null] ]

-- | A throw-away 512-bit test key (openssl genrsa -traditional 512): too short for an RSA-SHA512
-- signature (PKCS#1 v1.5 needs 83 octets of DigestInfo and padding room).
shortKey :: T.Text
shortKey = T.unlines
  [ "-----BEGIN RSA PRIVATE KEY-----"
  , "MIIBOwIBAAJBAKAFPdBtkRPr6VcmF4+GGwUOaX/t7nj3QsJDgV5+DldCz7Ln6H3n"
  , "Kl7uD8xhaeMVYmuTz/pq3fjYzgjILMFciUkCAwEAAQJAURS20IBj7Vsw3Yagk4mY"
  , "8UPvMvIlTkfDHNnFmFJ5A786Wjoi13FbNJMDQoTOlSA9minQEXPhOHvx73kkhPPs"
  , "cQIhANPITtNoUf9qi1u6rYv8NvCgPEnwNxyjt6k5f1ia9GP9AiEAwW5GfjPmybn8"
  , "jrq0HNsXMbRXk2XbgqNsSj4QupHybj0CIQC5DgTi8fsEhmLzanGPKnoPVNSZfw+J"
  , "NP2dHyLJl80JOQIhAJY5YMIO6QRuT3lCAzQN65uMph8xkiOJbEbUoQVk59U5AiBP"
  , "53mGVjF9en289haC+P73rtF1jP0ud8NKIPll5INSaA=="
  , "-----END RSA PRIVATE KEY-----"
  ]

rsaSha512With :: T.Text -> A.Value
rsaSha512With pem = A.object
  [ "cmd" A..= ("sign" :: T.Text), "id" A..= (2 :: Int)
  , "request" A..= A.object ["method" A..= ("GET" :: T.Text), "url" A..= ("http://example.com/" :: T.Text), "content_type" A..= A.Null, "body" A..= A.Null]
  , "oauth" A..= A.object ["consumer_key" A..= ("k" :: T.Text), "token" A..= A.Null, "signature_method" A..= ("RSA-SHA512" :: T.Text), "timestamp" A..= ("1" :: T.Text), "nonce" A..= ("n" :: T.Text), "version" A..= ("1.0" :: T.Text), "realm" A..= A.Null, "extra" A..= A.object []]
  , "secrets" A..= A.object ["consumer_secret" A..= A.Null, "token_secret" A..= A.Null, "rsa_private_key_pem" A..= pem] ]

appendixA52 :: T.Text -> A.Value
appendixA52 nonce = A.object
  [ "cmd" A..= ("verify" :: T.Text), "id" A..= (1 :: Int), "now" A..= (1191242096 :: Int)
  , "request" A..= A.object
      [ "method" A..= ("GET" :: T.Text), "url" A..= ("http://photos.example.net/photos?file=vacation.jpg&size=original" :: T.Text)
      , "content_type" A..= A.Null, "body" A..= A.Null
      , "headers" A..= [["Authorization", T.concat ["OAuth realm=\"http://photos.example.net/\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_nonce=\"", nonce, "\", oauth_timestamp=\"1191242096\", oauth_signature_method=\"HMAC-SHA1\", oauth_version=\"1.0\", oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\""] :: T.Text]] ]
  , "secrets" A..= A.object ["consumer_secret" A..= ("kd94hf93k423kf44" :: T.Text), "token_secret" A..= ("pfkkdhi9sl3r4s00" :: T.Text)] ]

main :: IO ()
main = do
  [adapter] <- getArgs
  (signer, handshake) <- start adapter "sign"
  check "the sign row declares emits_own_nonce_timestamp" (at ["implementation", "capabilities", "emits_own_nonce_timestamp"] handshake == Just (A.Bool True))
  signed <- exchange signer (appendixA51 "1.0")
  check "A.5.1 PLAINTEXT signature" (at ["result", "trace", "signature"] signed == Just (A.String "kd94hf93k423kf44&"))
  now <- (round :: Double -> Integer) . realToFrac <$> getPOSIXTime
  case (at ["result", "trace", "emitted_nonce"] signed, at ["result", "trace", "emitted_timestamp"] signed) of
    (Just (A.String nonce), Just (A.String stamp)) -> do
      check "the emitted nonce is the library's ten lowercase letters" (T.length nonce == 10 && T.all isLower nonce)
      check "the emitted timestamp is now" (T.all isDigit stamp && abs (read (T.unpack stamp) - now) < 60)
    _ -> check ("emitted nonce and timestamp in " ++ show signed) False
  otherVersion <- exchange signer (appendixA51 "2.0")
  check "another oauth_version is unsupported" (maybe False (T.isInfixOf "oauth_version") (at ["unsupported", "message"] otherVersion >>= str))
  tooShort <- exchange signer (rsaSha512With shortKey)
  check "a key too short for RSA-SHA512 is rejected (the RSA package's RSAError), not a crash"
    (maybe False (T.isInfixOf "RSAMessageTooShort") (at ["rejected", "message"] tooShort >>= str))
  stop signer
  (verifier, _) <- start adapter "check"
  accepted <- exchange verifier (appendixA52 "kllo9940pd9333jh")
  check "A.5.2 with its published header is accepted" (at ["result", "accepted"] accepted == Just (A.Bool True))
  refused <- exchange verifier (appendixA52 "kllo9940pd9333jI")
  check "a changed nonce is rejected" (at ["rejected"] refused /= Nothing)
  stop verifier
  where
    str (A.String s) = Just s
    str _ = Nothing
