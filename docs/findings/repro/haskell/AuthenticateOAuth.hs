{-# LANGUAGE OverloadedStrings #-}
-- | Standalone reproductions of the findings of authenticate-oauth (docs/findings/authenticate-oauth/):
-- 'signOAuth' on an http-client 'Request' made with 'parseRequest', as the module's haddock shows,
-- with 'newOAuth' and 'newCredential', on each finding's smallest input.
--
-- 'signOAuth' picks its own nonce and timestamp and does not return its base string, so the
-- program reads the nonce, timestamp and signature from the Authorization header it wrote, puts
-- that nonce and timestamp into the base string the vector publishes (RFC 5849's) and into the
-- one the dossier documents, and signs both with HMAC-SHA1 (the SHA package's hmacSha1): the
-- library's signature is RFC 5849's, the documented one, or a third value.
-- A finding whose input is signed with PLAINTEXT (a signature that covers no parameter) shows in
-- the header alone: the oauth_body_hash the library adds to a body it does not take for a form.
--
-- The verifier's finding (authenticate-oauth-check) runs 'checkOAuth' as a server calls it, with the
-- consumer's secret, on a request as received.
--
-- Usage: authenticate-oauth FINDING (built by docs/findings/repro/haskell/build.sh)
-- Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value, 2 usage.
module Main (main) where

import qualified Data.ByteString as B
import qualified Data.ByteString.Base64 as B64
import qualified Data.ByteString.Char8 as BC
import qualified Data.ByteString.Lazy as BL
import Control.Monad.Trans.Except (runExceptT)
import Data.Digest.Pure.SHA (bytestringDigest, hmacSha1)
import Data.List (find, intercalate, isInfixOf)
import qualified Data.Text as T
import qualified Data.Text.Encoding as TE
import Network.HTTP.Client (Request (..), RequestBody (..), parseRequest)
import Network.HTTP.Types (urlDecode, urlEncode)
import System.Environment (getArgs)
import System.Exit (ExitCode (..), exitWith)
import System.IO (hPutStrLn, stderr)
import Web.Authenticate.OAuth

-- | A finding's smallest input (vector id and file, its request and secrets), the base string the
-- vector publishes (RFC 5849's) and the one the dossier documents, both with the vector's nonce
-- and timestamp, and the signature the vector publishes (which checks this program's HMAC-SHA1).
-- For a generated input (recorded in docs/findings/examples.json) the "published" values are the
-- dossier's, from the harness's reference signer (its base string agrees with oauthlib's), with the
-- nonce and timestamp the library sent when the input was recorded.
data Finding = Finding
  { finding, vector, file, stage, httpMethod, url, signatureMethod :: String
  , contentType, body :: Maybe String
  , consumerKey :: String
  , token :: Maybe String
  , timestamp, nonce :: String
  , realm :: Maybe String
  , consumerSecret :: String
  , tokenSecret :: Maybe String
  , rfc, documented :: String
  , rfcSignature :: String
  }

findings :: [Finding]
findings =
  [ Finding
      { finding = "keeps-host-case"
      , vector = "lib-gomodule-method-host-case-port-443"
      , file = "vectors/libraries-sign.json"
      , stage = "signature"
      , httpMethod = "GeT"
      , url = "https://apI.twItter.com:443/1/?page=10"
      , signatureMethod = "HMAC-SHA1"
      , contentType = Nothing
      , body = Nothing
      , consumerKey = "kMViZR2MHk2mM7hUNVw9A"
      , token = (Just "10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU")
      , timestamp = "1355795903"
      , nonce = "8067e8abc6bdca2006818132445c8f4c"
      , realm = Nothing
      , consumerSecret = "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A"
      , tokenSecret = (Just "yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM")
      , rfc = "GET&https%3A%2F%2Fapi.twitter.com%2F1%2F&oauth_consumer_key%3DkMViZR2MHk2mM7hUNVw9A%26oauth_nonce%3D8067e8abc6bdca2006818132445c8f4c%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1355795903%26oauth_token%3D10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU%26oauth_version%3D1.0%26page%3D10"
      , documented = "GET&https%3A%2F%2FapI.twItter.com%2F1%2F&oauth_body_hash%3D2jmj7l5rSw0yVb%252FvlWAYkK%252FYBwk%253D%26oauth_consumer_key%3DkMViZR2MHk2mM7hUNVw9A%26oauth_nonce%3D8067e8abc6bdca2006818132445c8f4c%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1355795903%26oauth_token%3D10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU%26oauth_version%3D1.0%26page%3D10"
      , rfcSignature = "o5cx1ggJrY9ognZuVVeUwglKV8U="
      }
  , Finding
      { finding = "keeps-host-case-not-scheme"
      , vector = "wild-mixed-case-path"
      , file = "vectors/in-the-wild.json"
      , stage = "signature"
      , httpMethod = "GET"
      , url = "HTTPS://API.Example.com/Users/Bob"
      , signatureMethod = "HMAC-SHA1"
      , contentType = Nothing
      , body = Nothing
      , consumerKey = "dpf43f3p2l4k3l03"
      , token = (Just "nnch734d00sl2jdk")
      , timestamp = "1700000000"
      , nonce = "w1ldn0nce"
      , realm = Nothing
      , consumerSecret = "kd94hf93k423kf44"
      , tokenSecret = (Just "pfkkdhi9sl3r4s00")
      , rfc = "GET&https%3A%2F%2Fapi.example.com%2FUsers%2FBob&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
      , documented = "GET&https%3A%2F%2FAPI.Example.com%2FUsers%2FBob&oauth_body_hash%3D2jmj7l5rSw0yVb%252FvlWAYkK%252FYBwk%253D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
      , rfcSignature = "cqbpSBpCKW0tOBh6fszRpRlCVeo="
      }
  , Finding
      { finding = "signs-oauth-signature"
      , vector = "wild-stale-signature-in-query"
      , file = "vectors/in-the-wild.json"
      , stage = "signature"
      , httpMethod = "GET"
      , url = "https://api.example.com/p?a=1&oauth_signature=prev"
      , signatureMethod = "HMAC-SHA1"
      , contentType = Nothing
      , body = Nothing
      , consumerKey = "dpf43f3p2l4k3l03"
      , token = (Just "nnch734d00sl2jdk")
      , timestamp = "1700000000"
      , nonce = "w1ldn0nce"
      , realm = Nothing
      , consumerSecret = "kd94hf93k423kf44"
      , tokenSecret = (Just "pfkkdhi9sl3r4s00")
      , rfc = "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
      , documented = "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_body_hash%3D2jmj7l5rSw0yVb%252FvlWAYkK%252FYBwk%253D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature%3Dprev%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
      , rfcSignature = "0zl+kA7lht8Aa+C0s4nLTcF63Z4="
      }
  , Finding
      { finding = "charset-content-type-not-form"
      , vector = "generated:1481179192"
      , file = "docs/findings/examples.json"
      , stage = "signature"
      , httpMethod = "GET"
      , url = "http://api.example.com"
      , signatureMethod = "HMAC-SHA1"
      , contentType = (Just "application/x-www-form-urlencoded; charset=utf-8")
      , body = (Just "")
      , consumerKey = "dpf43f3p2l4k3l03"
      , token = Nothing
      , timestamp = "1796546341"
      , nonce = "clbcnwyttu"
      , realm = Nothing
      , consumerSecret = ""
      , tokenSecret = Nothing
      , rfc = "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dclbcnwyttu%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546341%26oauth_version%3D1.0"
      , documented = "GET&http%3A%2F%2Fapi.example.com%2F&oauth_body_hash%3D2jmj7l5rSw0yVb%252FvlWAYkK%252FYBwk%253D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dclbcnwyttu%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546341%26oauth_version%3D1.0"
      , rfcSignature = "wgXuJy0TMRp0eYbbvB5Apq212CE="
      }
  , Finding
      { finding = "form-content-type-case-sensitive"
      , vector = "generated:1481179225"
      , file = "docs/findings/examples.json"
      , stage = "header oauth_body_hash"
      , httpMethod = "DELETE"
      , url = "https://API.Example.COM/v1%2fitems/r%20v/!$&'()*+,;=?a-b&a-b=2"
      , signatureMethod = "PLAINTEXT"
      , contentType = (Just "Application/X-WWW-Form-URLEncoded")
      , body = (Just "a=-%C3%BC%2B%3F&a=-%C3%BC%2B%3F2")
      , consumerKey = "dpf43f3p2l4k3l03"
      , token = (Just "t%k n")
      , timestamp = "1191242096"
      , nonce = "chapoH"
      , realm = Nothing
      , consumerSecret = ".!\x1f600\&b"
      , tokenSecret = (Just "\xfc\&")
      , rfc = "(none)"
      , documented = "/4sLpIMoW53so6bflh2fgccPaZE="
      , rfcSignature = ""
      }
  ]

-- | A request as received, the verdict RFC 5849 gives on it and the one the dossier documents
-- (with, for a rejection, part of checkOAuth's message).
--
-- verifier-accepts-invalid: the shrunk counterexample of the row's generated verify case (the
-- harness's --save-counterexamples), signed correctly (HMAC-SHA1 with the consumer secret "" and no
-- token: the HMAC-SHA1 of its base string with the key "&") a day before the server's clock, which
-- RFC 5849 §3.3 lets a server refuse and the harness's verifier refuses (timestamp_out_of_window,
-- ±300 s). The other three are correctly signed requests that checkOAuth refuses: two of the
-- corpus as published, and RFC 5849's temporary-credential request with an oauth_version added.
data VerifyFinding = VerifyFinding
  { vFinding, vCase, vMethod, vUrl, vAuthorization :: String
  , vContentType, vBody :: Maybe String
  , vConsumerKey, vConsumerSecret, vTokenSecret, vRfc :: String
  , vDocumented :: Documented
  }

-- | What the dossier documents checkOAuth does with the request.
data Documented = Accepts | RejectsWith String

verifyFindings :: [VerifyFinding]
verifyFindings =
  [ VerifyFinding
      { vFinding = "verifier-accepts-invalid"
      , vCase = "generated-verify:1481179357 (the row's authenticate-oauth-check baseline)"
      , vMethod = "GET"
      , vUrl = "http://127.0.0.1"
      , vAuthorization = "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137044831\", oauth_nonce=\"7d8f3e4a\", oauth_version=\"1.0\", oauth_signature=\"JeqphLC4S8EweROlMRSVX8IJNL4%3D\""
      , vContentType = Just "application/json"
      , vBody = Just "{\"t\":\"\"}"
      , vConsumerKey = "dpf43f3p2l4k3l03"
      , vConsumerSecret = ""
      , vTokenSecret = ""
      , vRfc = "rejected: oauth_timestamp 137044831 is 86400 s before the server's clock, 137131231 (RFC 5849 section 3.3, 3.2)"
      , vDocumented = Accepts
      }
  , VerifyFinding
      { vFinding = "refuses-header-signed-form-post"
      , vCase = "verify-header-hmac-sha1 (vectors/verify.json)"
      , vMethod = "POST"
      , vUrl = "https://api.example.com/v1/notes?draft=true"
      , vAuthorization = "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_nonce=\"b8c6f2a1d4e94e2f\", oauth_signature=\"44gKlLnGAT%2BYiRQxxTuMFtSD4AQ%3D\""
      , vContentType = Just "application/x-www-form-urlencoded"
      , vBody = Just "title=Hello%20World&tags=a+b"
      , vConsumerKey = "dpf43f3p2l4k3l03"
      , vConsumerSecret = "kd94hf93k423kf44"
      , vTokenSecret = "pfkkdhi9sl3r4s00"
      , vRfc = "accepted: the protocol parameters travel in the Authorization header (RFC 5849 section 3.5.1), the form body is signed (3.4.1.3.1)"
      , vDocumented = RejectsWith "oauth_signature parameter not found"
      }
  , VerifyFinding
      { vFinding = "refuses-request-without-version"
      , vCase = "rfc5849-1.2-protected-resource-verify (vectors/rfc5849.json)"
      , vMethod = "GET"
      , vUrl = "http://photos.example.net/photos?file=vacation.jpg&size=original"
      , vAuthorization = "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\""
      , vContentType = Nothing
      , vBody = Nothing
      , vConsumerKey = "dpf43f3p2l4k3l03"
      , vConsumerSecret = "kd94hf93k423kf44"
      , vTokenSecret = "pfkkdhi9sl3r4s00"
      , vRfc = "accepted: oauth_version is OPTIONAL (RFC 5849 section 3.1) and signed only when sent (3.4.1.3.1)"
      , vDocumented = RejectsWith "signature"
      }
  , VerifyFinding
      { vFinding = "header-values-not-decoded"
      , vCase = "rfc5849-1.2-temporary-credentials-verify (vectors/rfc5849.json) with oauth_version=\"1.0\" added, so that checkOAuth's version insertion (refuses-request-without-version) plays no part; signed with HMAC-SHA1 over the base string of RFC 5849 sections 3.4.1 (Python's hmac and the harness's reference verifier agree on it)"
      , vMethod = "POST"
      , vUrl = "https://photos.example.net/initiate"
      , vAuthorization = "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131200\", oauth_nonce=\"wIjqoS\", oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\", oauth_version=\"1.0\", oauth_signature=\"msrTmwtDEKqeVXeJaufuiXOpbJI%3D\""
      , vContentType = Nothing
      , vBody = Nothing
      , vConsumerKey = "dpf43f3p2l4k3l03"
      , vConsumerSecret = "kd94hf93k423kf44"
      , vTokenSecret = ""
      , vRfc = "accepted: the header's values are percent-decoded before they are signed (RFC 5849 sections 3.5.1, 3.4.1.3.1)"
      , vDocumented = RejectsWith "signature"
      }
  ]

-- | checkOAuth's verdict next to RFC 5849's: exit 0 while it is the documented one, 3 when it is
-- RFC 5849's, 4 for a rejection the dossier does not document.
verifyFinding :: VerifyFinding -> IO ()
verifyFinding v = do
  base <- parseRequest (vUrl v)
  let request = base
        { method = utf8 (vMethod v)
        , requestHeaders = [("Authorization", utf8 (vAuthorization v))] ++ [("Content-Type", utf8 t) | Just t <- [vContentType v]] ++ requestHeaders base
        , requestBody = RequestBodyBS (maybe "" utf8 (vBody v))
        }
      oauth = newOAuth { oauthSignatureMethod = HMACSHA1, oauthConsumerKey = utf8 (vConsumerKey v), oauthConsumerSecret = utf8 (vConsumerSecret v) }
  outcome <- runExceptT (checkOAuth oauth (inserts [("oauth_token_secret", utf8 (vTokenSecret v))] emptyCredential) request)
  putStrLn ("finding:  authenticate-oauth-check/" ++ vFinding v ++ " (" ++ vCase v ++ ", the verdict)")
  either (\(OAuthException why) -> putStrLn ("checkOAuth: rejected (" ++ why ++ ")")) (const (putStrLn "checkOAuth: accepted")) outcome
  putStrLn ("RFC 5849: " ++ vRfc v)
  case (vDocumented v, outcome) of
    (Accepts, Right _) -> return ()
    (Accepts, Left _) -> putStrLn "fixed: checkOAuth now refuses it" >> exitWith (ExitFailure 3)
    (RejectsWith _, Right _) -> putStrLn "fixed: checkOAuth now accepts it" >> exitWith (ExitFailure 3)
    (RejectsWith part, Left (OAuthException why))
      | part `isInfixOf` why -> return ()
      | otherwise -> putStrLn ("changed: the dossier documents a rejection mentioning " ++ show part) >> exitWith (ExitFailure 4)

utf8 :: String -> B.ByteString
utf8 = TE.encodeUtf8 . T.pack

-- | The Authorization header 'signOAuth' writes on the request.
signedHeader :: Finding -> IO B.ByteString
signedHeader f = do
  base <- parseRequest (url f)
  let request = base
        { method = utf8 (httpMethod f)
        , requestHeaders = [("Content-Type", utf8 t) | Just t <- [contentType f]] ++ requestHeaders base
        , requestBody = RequestBodyBS (maybe "" utf8 (body f))
        }
      oauth = newOAuth
        { oauthSignatureMethod = if signatureMethod f == "PLAINTEXT" then PLAINTEXT else HMACSHA1
        , oauthConsumerKey = utf8 (consumerKey f)
        , oauthConsumerSecret = utf8 (consumerSecret f)
        , oauthRealm = utf8 <$> realm f
        }
      secret = utf8 (maybe "" id (tokenSecret f))
      -- Without a token: emptyCredential holding the token secret alone (newCredential takes a token).
      credential = maybe (inserts [("oauth_token_secret", secret)] emptyCredential) (\t -> newCredential (utf8 t) secret) (token f)
  signed <- signOAuth oauth credential request
  maybe (ioError (userError "signOAuth wrote no Authorization header")) return (lookup "Authorization" (requestHeaders signed))

-- | The value of a parameter of the header (name="value", percent-decoded); the last one wins, as
-- the module writes the realm first and raw.
param :: B.ByteString -> B.ByteString -> Maybe B.ByteString
param name header =
  let pairs = [ (n, urlDecode False (BC.filter (/= '"') (B.drop 1 v)))
              | p <- BC.split ',' (maybe header id (B.stripPrefix "OAuth " header))
              , let (n, v) = BC.break (== '=') (BC.dropWhile (== ' ') p) ]
  in lookup name (reverse pairs)

-- | The string with every occurrence of a pattern replaced.
replace :: B.ByteString -> B.ByteString -> B.ByteString -> B.ByteString
replace from to s = case B.breakSubstring from s of
  (before, rest) | B.null rest -> before
                 | otherwise -> before <> to <> replace from to (B.drop (B.length from) rest)

-- | A base string with the vector's nonce and timestamp replaced by the library's.
withLibraryNonce :: Finding -> B.ByteString -> B.ByteString -> String -> B.ByteString
withLibraryNonce f libNonce libTimestamp =
  replace ("oauth_timestamp%3D" <> utf8 (timestamp f)) ("oauth_timestamp%3D" <> libTimestamp)
    . replace ("oauth_nonce%3D" <> utf8 (nonce f)) ("oauth_nonce%3D" <> libNonce)
    . utf8

-- | RFC 5849 §3.4.2: HMAC-SHA1 keyed with the encoded secrets joined by '&', base64.
hmac :: Finding -> B.ByteString -> B.ByteString
hmac f text =
  let key = urlEncode True (utf8 (consumerSecret f)) <> "&" <> urlEncode True (utf8 (maybe "" id (tokenSecret f)))
  in B64.encode (BL.toStrict (bytestringDigest (hmacSha1 (BL.fromStrict key) (BL.fromStrict text))))

main :: IO ()
main = do
  args <- getArgs
  f <- case args of
    [name] | Just f <- find ((== name) . finding) findings -> return f
    [name] | Just v <- find ((== name) . vFinding) verifyFindings -> verifyFinding v >> exitWith ExitSuccess
    _ -> do
      hPutStrLn stderr ("usage: authenticate-oauth FINDING (one of: " ++ intercalate ", " (map finding findings ++ map vFinding verifyFindings) ++ ")")
      exitWith (ExitFailure 2)
  header <- signedHeader f
  if stage f == "header oauth_body_hash" then bodyHashFinding f header else signatureFinding f header

-- | A finding only the header shows (a PLAINTEXT input, whose signature covers no parameter): the
-- oauth_body_hash the library adds when it does not take the body for a form.
bodyHashFinding :: Finding -> B.ByteString -> IO ()
bodyHashFinding f header = do
  let value = maybe "(none)" id (param "oauth_body_hash" header)
  putStrLn ("finding:  " ++ finding f ++ " (vector " ++ vector f ++ " in " ++ file f ++ ", the header's oauth_body_hash)")
  BC.putStrLn ("authenticate-oauth: " <> value <> "\n  (in " <> header <> ")")
  putStrLn ("RFC 5849: " ++ rfc f ++ " (a form body is signed as parameters, with no body hash)")
  if value == utf8 (rfc f)
    then putStrLn "fixed: authenticate-oauth now agrees with RFC 5849" >> exitWith (ExitFailure 3)
    else if value == utf8 (documented f)
      then return ()
      else putStrLn ("changed: the dossier documents " ++ documented f) >> exitWith (ExitFailure 4)

signatureFinding :: Finding -> B.ByteString -> IO ()
signatureFinding f header = do
  if hmac f (utf8 (rfc f)) /= utf8 (rfcSignature f)
    then hPutStrLn stderr ("HMAC-SHA1 of the published base string is not the published signature " ++ rfcSignature f) >> exitWith (ExitFailure 2)
    else return ()
  let field name = maybe (ioError (userError ("no " ++ BC.unpack name ++ " in " ++ BC.unpack header))) return (param name header)
  libNonce <- field "oauth_nonce"
  libTimestamp <- field "oauth_timestamp"
  signature <- field "oauth_signature"
  let rfcBase = withLibraryNonce f libNonce libTimestamp (rfc f)
      documentedBase = withLibraryNonce f libNonce libTimestamp (documented f)
  putStrLn ("finding:  " ++ finding f ++ " (vector " ++ vector f ++ " in " ++ file f ++ ", signature)")
  BC.putStrLn ("authenticate-oauth: " <> signature <> " (its nonce " <> libNonce <> ", timestamp " <> libTimestamp <> ")")
  BC.putStrLn ("RFC 5849: " <> hmac f rfcBase <> ", HMAC-SHA1 of " <> rfcBase)
  if signature == hmac f rfcBase
    then putStrLn "fixed: authenticate-oauth now agrees with RFC 5849" >> exitWith (ExitFailure 3)
    else if signature == hmac f documentedBase
      then BC.putStrLn ("documented: HMAC-SHA1 of " <> documentedBase)
      else BC.putStrLn ("changed: the dossier documents HMAC-SHA1 of " <> documentedBase) >> exitWith (ExitFailure 4)
