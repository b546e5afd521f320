{-# LANGUAGE OverloadedStrings #-}
-- | authenticate-oauth (Debian libghc-authenticate-oauth-dev) behind the oauth1-conformance adapter
-- protocol, version 1 (adapters/PROTOCOL.md). Two rows: "authenticate-oauth" signs with
-- 'signOAuth' on an http-client 'Request', which picks its own nonce and timestamp
-- (emits_own_nonce_timestamp); "authenticate-oauth-check" verifies with 'checkOAuth'.
-- See README.md for which library call produces each stage.
module Main (main) where

import Control.Exception hiding (Handler)
import Control.Monad (unless, void)
import Control.Monad.Trans.Except (runExceptT)
import qualified Data.Aeson as A
import qualified Data.Aeson.Key as K
import qualified Data.Aeson.KeyMap as KM
import qualified Data.ASN1.BinaryEncoding as ASN1
import qualified Data.ASN1.Encoding as ASN1
import qualified Data.ASN1.Types as ASN1
import qualified Data.ByteString as B
import qualified Data.ByteString.Char8 as BC
import qualified Data.CaseInsensitive as CI
import Data.Maybe (fromMaybe, isJust, listToMaybe, mapMaybe)
import qualified Data.PEM as PEM
import qualified Data.Text as T
import qualified Data.Text.Encoding as TE
import Codec.Crypto.RSA.Exceptions (RSAError)
import Crypto.Types.PubKey.RSA (PrivateKey (..), PublicKey (..))
import Network.HTTP.Client (HttpException, Request (..), RequestBody (..), parseRequest)
import Network.HTTP.Types (parseSimpleQuery, urlDecode)
import System.Environment (getArgs)
import System.Exit (exitWith, ExitCode (..))
import System.IO (hPutStrLn, stderr)
import Web.Authenticate.OAuth

import Protocol hiding (library)
import qualified Protocol
import Version (libraryVersion)

utf8 :: T.Text -> B.ByteString
utf8 = TE.encodeUtf8

-- | The library's error types: authenticate-oauth's 'OAuthException', the 'RSAError' of the RSA
-- package whose throwing functions it signs with (a key too short for the hash), and
-- http-client's 'HttpException' (what 'parseRequest' throws for a URL it refuses). Anything else
-- out of a library call (an 'ErrorCall', a pattern-match failure) is a crash.
refusal :: SomeException -> Bool
refusal e =
  isJust (fromException e :: Maybe OAuthException)
    || isJust (fromException e :: Maybe RSAError)
    || isJust (fromException e :: Maybe HttpException)

library :: T.Text -> (a -> IO ()) -> IO a -> IO a
library = Protocol.library refusal

required :: T.Text -> T.Text -> A.Value -> IO T.Text
required what key value = maybe (throwIO (ErrorCall (T.unpack ("no " <> what <> "." <> key)))) return (text key value)

-- | The RSA private key of a PEM text: PKCS#1 (RSA PRIVATE KEY) or the PKCS#8 PrivateKeyInfo
-- (PRIVATE KEY) that wraps one; crypto-pubkey-types has the key type but no decoder.
privateKey :: T.Text -> IO PrivateKey
privateKey pem = case PEM.pemParseBS (utf8 pem) of
  Right (section : _)
    | PEM.pemName section == "RSA PRIVATE KEY" -> pkcs1 (PEM.pemContent section)
    | PEM.pemName section == "PRIVATE KEY" -> case der (PEM.pemContent section) of
        [ASN1.Start ASN1.Sequence, ASN1.IntVal 0, ASN1.Start ASN1.Sequence, ASN1.OID [1, 2, 840, 113549, 1, 1, 1], ASN1.Null, ASN1.End ASN1.Sequence, ASN1.OctetString key, ASN1.End ASN1.Sequence] -> pkcs1 key
        _ -> throwIO (Rejected "the PKCS#8 key is not an RSA PrivateKeyInfo")
  Right (section : _) -> throwIO (Rejected ("a PEM " <> T.pack (PEM.pemName section) <> " is not an RSA private key"))
  Right [] -> throwIO (Rejected "no PEM section in rsa_private_key_pem")
  Left e -> throwIO (Rejected ("rsa_private_key_pem: " <> T.pack e))
  where
    der bytes = either (const []) id (ASN1.decodeASN1' ASN1.DER bytes)
    pkcs1 bytes = case der bytes of
      [ASN1.Start ASN1.Sequence, ASN1.IntVal 0, ASN1.IntVal n, ASN1.IntVal e, ASN1.IntVal d, ASN1.IntVal p, ASN1.IntVal q, ASN1.IntVal dP, ASN1.IntVal dQ, ASN1.IntVal qinv, ASN1.End ASN1.Sequence] ->
        return PrivateKey { private_pub = PublicKey { public_size = octets n, public_n = n, public_e = e }
                          , private_d = d, private_p = p, private_q = q, private_dP = dP, private_dQ = dQ, private_qinv = qinv }
      _ -> throwIO (Rejected "the key is not a PKCS#1 RSAPrivateKey")
    octets n = length (takeWhile (> 0) (iterate (`div` 256) n))

-- | The library's 'SignMethod' for a method name; RSA methods carry the private key.
signMethod :: T.Text -> Maybe T.Text -> IO SignMethod
signMethod name pem = case name of
  "HMAC-SHA1" -> return HMACSHA1
  "HMAC-SHA256" -> return HMACSHA256
  "HMAC-SHA512" -> return HMACSHA512
  "PLAINTEXT" -> return PLAINTEXT
  "RSA-SHA1" -> RSASHA1 <$> key
  "RSA-SHA256" -> RSASHA256 <$> key
  "RSA-SHA512" -> RSASHA512 <$> key
  _ -> throwIO (Unsupported ("authenticate-oauth has no SignMethod for " <> name))
  where
    key = maybe (throwIO (Unsupported "an RSA request without rsa_private_key_pem: SignMethod RSASHA* takes the private key")) privateKey pem

-- | The http-client request: 'parseRequest' of the URL, the case's method, its Content-Type and
-- other headers, and its body as octets.
httpRequest :: A.Value -> [(B.ByteString, B.ByteString)] -> IO Request
httpRequest request headers = do
  url <- required "request" "url" request
  method' <- required "request" "method" request
  base <- library "parseRequest" (void . evaluate . B.length . path) (parseRequest (T.unpack url))
  let contentType = [("Content-Type", utf8 ct) | Just ct <- [text "content_type" request]]
  return base
    { method = utf8 method'
    , requestHeaders = map (\(n, v) -> (CI.mk n, v)) (contentType ++ headers) ++ requestHeaders base
    , requestBody = RequestBodyBS (maybe "" utf8 (text "body" request))
    }

-- | The name="value" pairs of an Authorization header as authenticate-oauth writes them (each
-- value percent-encoded, so without quotes or commas), decoded; a realm is skipped by name.
headerParams :: B.ByteString -> [(B.ByteString, B.ByteString)]
headerParams = mapMaybe pair . BC.split ','
  where
    pair piece =
      let (name, rest) = BC.break (== '=') (BC.dropWhile (== ' ') (dropScheme piece))
       in if B.length rest >= 3 && "=\"" `B.isPrefixOf` rest && "\"" `B.isSuffixOf` rest
            then Just (urlDecode False name, urlDecode False (B.init (B.drop 2 rest)))
            else Nothing
    dropScheme piece = fromMaybe piece (B.stripPrefix "OAuth " piece)

-- | The last value of a name (the library's parameters follow the realm, which it writes raw).
lastValue :: B.ByteString -> [(B.ByteString, B.ByteString)] -> Maybe B.ByteString
lastValue name = lookup name . reverse

decoded :: B.ByteString -> A.Value
decoded = A.String . TE.decodeUtf8With (\_ _ -> Just '\xFFFD')

sign :: Handler
sign message = do
  let oauth = object' "oauth" message
      secrets = object' "secrets" message
  unless (text "version" oauth == Just "1.0") $
    throwIO (Unsupported "signOAuth always sends oauth_version=\"1.0\" (injectOAuthToCred)")
  consumerKey <- required "oauth" "consumer_key" oauth
  methodName <- required "oauth" "signature_method" oauth
  method' <- signMethod methodName (text "rsa_private_key_pem" secrets)
  let oa = newOAuth { oauthSignatureMethod = method'
                    , oauthConsumerKey = utf8 consumerKey
                    , oauthConsumerSecret = maybe "" utf8 (text "consumer_secret" secrets)
                    , oauthRealm = utf8 <$> text "realm" oauth }
      tokenSecret = maybe "" utf8 (text "token_secret" secrets)
      base = maybe (inserts [("oauth_token_secret", tokenSecret)] emptyCredential) (\t -> newCredential (utf8 t) tokenSecret) (text "token" oauth)
      extra = case object' "extra" oauth of
        A.Object o -> [(utf8 (K.toText k), utf8 v) | (k, A.String v) <- KM.toList o]
        _ -> []
  request <- httpRequest (object' "request" message) []
  signed <- library "signOAuth" (void . evaluate . sum . map (B.length . snd) . requestHeaders) (signOAuth oa (inserts extra base) request)
  header <- maybe (throwIO (Rejected "signOAuth wrote no Authorization header")) return (lookup "Authorization" (requestHeaders signed))
  let params = headerParams header
      emitted name = maybe (throwIO (Rejected ("the Authorization header has no " <> TE.decodeUtf8 name))) (return . decoded) (lastValue name params)
  nonce <- emitted "oauth_nonce"
  timestamp <- emitted "oauth_timestamp"
  signature <- emitted "oauth_signature"
  return $ A.object ["trace" A..= A.object
    [ "signature" A..= signature, "authorization_header" A..= decoded header
    , "emitted_nonce" A..= nonce, "emitted_timestamp" A..= timestamp ]]

-- | The protocol parameters a server looks its credentials up by (consumer key, token,
-- signature method): the Authorization header's (scheme compared case-insensitively, RFC 7235
-- section 2.1), else the form body's, else the query's. The library takes them from its caller
-- ('OAuth', 'Credential') and exports no parser.
claimed :: Request -> B.ByteString -> [(B.ByteString, B.ByteString)]
claimed request body =
  case lookup "Authorization" (requestHeaders request) of
    Just header | CI.mk (B.take 6 header) == "OAuth " -> headerParams ("OAuth " <> B.drop 6 header)
    _ -> parseSimpleQuery body ++ parseSimpleQuery (queryString request)

verify :: Handler
verify message = do
  let request = object' "request" message
      secrets = object' "secrets" message
      headers = case field "headers" request of
        Just (A.Array rows) -> [(utf8 n, utf8 v) | A.Array pair <- foldr (:) [] rows, [A.String n, A.String v] <- [foldr (:) [] pair]]
        _ -> []
  http <- httpRequest request headers
  let params = claimed http (maybe "" utf8 (text "body" request))
      lookupParam name = listToMaybe [v | (n, v) <- params, n == name]
      methodName = maybe "" TE.decodeUtf8 (lookupParam "oauth_signature_method")
  -- A method the library has no SignMethod for leaves newOAuth's default (HMACSHA1), as a server
  -- configured with one OAuth value would; only an RSA claim without the private key cannot be checked.
  method' <- signMethod methodName (text "rsa_private_key_pem" secrets) `catch` \(Unsupported why) ->
    if methodName `elem` ["RSA-SHA1", "RSA-SHA256", "RSA-SHA512"] then throwIO (Unsupported why) else return (oauthSignatureMethod newOAuth)
  let oa = newOAuth { oauthSignatureMethod = method'
                    , oauthConsumerKey = fromMaybe "" (lookupParam "oauth_consumer_key")
                    , oauthConsumerSecret = maybe "" utf8 (text "consumer_secret" secrets) }
      tokenSecret = maybe "" utf8 (text "token_secret" secrets)
      credential = maybe (inserts [("oauth_token_secret", tokenSecret)] emptyCredential) (`newCredential` tokenSecret) (lookupParam "oauth_token")
  outcome <- library "checkOAuth" (either (\(OAuthException m) -> void (evaluate (length m))) (const (return ())))
    (runExceptT (checkOAuth oa credential http))
  case outcome of
    Left (OAuthException why) -> throwIO (Rejected ("checkOAuth: " <> T.pack why))
    Right _ -> return (A.object ["accepted" A..= True])

capabilities :: Bool -> A.Value
capabilities signer = A.object $
  [ "operations" A..= [if signer then "sign" else "verify" :: T.Text]
  , "signature_methods" A..= (["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT", "RSA-SHA1", "RSA-SHA256", "RSA-SHA512"] :: [T.Text])
  , "stages" A..= (if signer then ["signature", "authorization_header"] else [] :: [T.Text])
  , "can_omit_version" A..= False
  , "body_hash" A..= signer
  , "reports_rejection_reasons" A..= False
  , "notes" A..= (if signer then signNotes else verifyNotes)
  ] ++ ["emits_own_nonce_timestamp" A..= True | signer]
  where
    signNotes = T.unwords
      [ "sign: signOAuth oa credential request, with oa = newOAuth {oauthSignatureMethod, oauthConsumerKey, oauthConsumerSecret,"
      , "oauthRealm}, credential = newCredential token tokenSecret (emptyCredential without a token) plus the extra protocol"
      , "parameters (inserts), request = parseRequest url with the case's method, Content-Type and body (RequestBodyBS)."
      , "signOAuth chooses oauth_nonce (10 random letters) and oauth_timestamp itself and always sends oauth_version=1.0"
      , "(another version: unsupported); it adds oauth_body_hash (SHA-1) to every request whose Content-Type is not"
      , "exactly application/x-www-form-urlencoded. authorization_header is the header it set; signature, emitted_nonce and"
      , "emitted_timestamp are read from that header (percent-decoded). RSA keys: PKCS#1 or PKCS#8 PEM decoded into"
      , "crypto-pubkey-types' PrivateKey." ]
    verifyNotes = T.unwords
      [ "verify: runExceptT (checkOAuth oa credential request) on the request as received (parseRequest url, method,"
      , "headers, body); oa and credential are what a server configures for the client: the consumer key, token and"
      , "signature method the request claims (its Authorization header, else form body, else query), the harness's secrets."
      , "checkOAuth has no timestamp window and no nonce store (now is unused). RSA: SignMethod RSASHA* re-signs with the"
      , "private key, so a request with only a public key is unsupported. Left OAuthException: rejected (reason null)." ]

main :: IO ()
main = do
  args <- getArgs
  signer <- case args of
    ["--variant", "sign"] -> return True
    ["--variant", "check"] -> return False
    _ -> hPutStrLn stderr "usage: adapter --variant sign|check" >> exitWith (ExitFailure 2)
  let implementation = A.object
        [ "name" A..= (if signer then "authenticate-oauth" else "authenticate-oauth-check" :: T.Text)
        , "version" A..= libraryVersion
        , "language" A..= ("haskell" :: T.Text)
        , "capabilities" A..= capabilities signer ]
  runAdapter implementation [if signer then ("sign", sign) else ("verify", verify)]
