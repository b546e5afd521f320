//! The quirk catalogue as people read it: each quirk with its RFC section, minimal vector and
//! the public bug reports showing the same mistake in some implementation, so a finding can point
//! at prior art. `docs/quirks.md` is [`markdown`]'s output, checked in and
//! held to the code by a test.

use std::fmt::Write as _;

use crate::quirks::Quirk;

/// Public bug reports and pull requests showing each mistake in a real implementation (not
/// necessarily one in the matrix), most telling first: the rows of `docs/quirks-in-the-wild.md`
/// that name the quirk, which a test keeps equal to this table.
const REPORTS: &[(Quirk, &[&str])] = &[
    (Quirk::AddsOauthVersion, &["https://github.com/DotNetOpenAuth/DotNetOpenAuth/issues/28"]),
    (
        Quirk::SortsUnencoded,
        &["https://github.com/joestump/python-oauth2/issues/75", "https://github.com/ciaranj/node-oauth/issues/14"],
    ),
    (
        Quirk::SortsJoinedPairs,
        &[
            "https://github.com/jdg/oauthconsumer/pull/8",
            "https://github.com/OAuthSwift/OAuthSwift/pull/283",
            "https://github.com/bytespider/jsOAuth/pull/25",
            "https://github.com/javaee/jersey/issues/1105",
        ],
    ),
    (Quirk::SortsByNameOnly, &["https://github.com/geoffjentry/ROAuth/pull/7"]),
    (
        Quirk::CollapsesDuplicatesLast,
        &[
            "https://github.com/bdbergeron/BDBOAuth1Manager/issues/8",
            "https://github.com/bytespider/jsOAuth/issues/53",
            "https://github.com/daviddesberg/PHPoAuthLib/issues/481",
            "https://github.com/googleapis/google-oauth-java-client/issues/91",
            "https://github.com/postmanlabs/postman-app-support/issues/404",
            "https://github.com/restsharp/RestSharp/issues/234",
        ],
    ),
    (
        Quirk::CollapsesDuplicatesFirst,
        &[
            "https://github.com/bdbergeron/BDBOAuth1Manager/issues/8",
            "https://github.com/bytespider/jsOAuth/issues/53",
            "https://github.com/joestump/python-oauth2/issues/121",
            "https://github.com/postmanlabs/postman-app-support/issues/404",
            "https://github.com/restsharp/RestSharp/issues/234",
            "https://github.com/tradegecko/woocommerce_api/pull/55",
        ],
    ),
    (Quirk::DropsEmptyValues, &["https://github.com/ruby-oauth/oauth/pull/155"]),
    (
        Quirk::IgnoresFormBody,
        &[
            "https://github.com/scribejava/scribejava/issues/286",
            "https://github.com/OPEN-DSI/ecommerceng_woosync/issues/94",
            "https://github.com/chao/RESTClient/pull/19",
            "https://github.com/infoScoop/infoscoop/issues/459",
            "https://github.com/postmanlabs/postman-app-support/issues/1838",
        ],
    ),
    (
        Quirk::PlusNotDecoded,
        &[
            "https://github.com/NangoHQ/nango/issues/7098",
            "https://github.com/drone29a/clj-oauth/issues/36",
            "https://github.com/magento/magento2/pull/34896",
            "https://github.com/tumblr/TMTumblrSDK/pull/99",
        ],
    ),
    (
        Quirk::DoubleDecodes,
        &[
            "https://github.com/Izumi-kun/LTI-Tool-Provider-Library-PHP/issues/15",
            "https://github.com/WP-API/OAuth1/issues/205",
            "https://github.com/WP-API/OAuth1/issues/91",
        ],
    ),
    (Quirk::CharsetMakesBodyUnsigned, &["https://github.com/eclipse-ee4j/jersey/issues/3185"]),
    (
        Quirk::SignsFormBodyForPostOnly,
        &["https://github.com/chao/RESTClient/pull/31", "https://github.com/guzzle/oauth-subscriber/issues/14"],
    ),
    (
        Quirk::KeepsDefaultPort,
        &[
            "https://github.com/ddo/oauth-1.0a/issues/59",
            "https://github.com/ciaranj/connect-auth/issues/28",
            "https://github.com/scribejava/scribejava/issues/428",
        ],
    ),
    (
        Quirk::SecretsNotEncoded,
        &[
            "https://github.com/dghubble/oauth1/pull/72",
            "https://github.com/OAuthSwift/OAuthSwift/pull/657",
            "https://github.com/mikeknapp/AppEngine-OAuth-Library/issues/3",
            "https://github.com/request/request/pull/263",
            "https://github.com/AFNetworking/AFOAuth1Client/pull/65",
        ],
    ),
    (
        Quirk::KeyOmitsTokenSecret,
        &["https://github.com/drone29a/clj-oauth/pull/1", "https://github.com/r0man/oauth-clj/pull/10"],
    ),
    (
        Quirk::JsEncodeUriComponent,
        &[
            "https://github.com/nbspou/dart-oauth1/pull/10",
            "https://github.com/Mastercard/oauth1-signer-nodejs/pull/12",
            "https://github.com/cgeo/cgeo/issues/3320",
            "https://github.com/osmlab/ohauth/pull/5",
        ],
    ),
    (
        Quirk::SignsRealm,
        &[
            "https://github.com/ddo/oauth-1.0a/issues/50",
            "https://github.com/ciaranj/connect-auth/pull/9",
            "https://github.com/mrjones/oauth/pull/73",
        ],
    ),
    (Quirk::NamesNotEncoded, &["https://github.com/geoffjentry/ROAuth/pull/7"]),
    (
        Quirk::OmitsRealm,
        &[
            "https://github.com/mrjones/oauth/pull/73",
            "https://github.com/dghubble/oauth1/pull/30",
            "https://github.com/scribejava/scribejava/pull/437",
        ],
    ),
    (Quirk::IndexesRepeatedQueryNames, &["https://github.com/ciaranj/node-oauth/pull/34"]),
    (Quirk::QueryOverridesBody, &["https://github.com/request/request/pull/612"]),
    (Quirk::AddsBodyHashToEveryRequest, &["https://github.com/joestump/python-oauth2/issues/58"]),
    (Quirk::QueryOctetsReencoded, &["https://github.com/carlos-emr/carlos/issues/3007"]),
    (
        Quirk::DropsEmptyProtocolParameters,
        &[
            "https://github.com/dghubble/oauth1/pull/38",
            "https://github.com/postmanlabs/postman-app-support/pull/789",
            "https://github.com/ciaranj/node-oauth/issues/342",
        ],
    ),
    (Quirk::SortsValuesUnencoded, &["https://github.com/lyokato/p5-oauth-lite/pull/5"]),
    (Quirk::EncodesRealmInHeader, &["https://github.com/request/request/issues/2284"]),
    (
        Quirk::HeaderValuesNotEncoded,
        &[
            "https://github.com/MJMortimer/elixero/issues/9",
            "https://github.com/Scout24/restapi-php-sdk/pull/23",
            "https://github.com/spring-attic/spring-security-oauth/pull/52",
        ],
    ),
    (
        Quirk::PlaintextSignatureEncoded,
        &[
            "https://github.com/ayoy/qoauth/pull/1",
            "https://github.com/ciaranj/node-oauth/issues/64",
            "https://github.com/googleapis/signet/pull/80",
        ],
    ),
    (
        Quirk::OmitsRequestedBodyHash,
        &[
            "https://github.com/1EdTech/basiclti-util-java/issues/3",
            "https://github.com/Mastercard/oauth1-signer-java/issues/5",
        ],
    ),
    (
        Quirk::HeaderParserRejectsValid,
        &[
            "https://github.com/ciaranj/node-oauth/issues/55",
            "https://github.com/ciaranj/node-oauth/pull/107",
            "https://github.com/pelle/oauth-plugin/pull/86",
            "https://github.com/unfiltered/unfiltered/issues/171",
        ],
    ),
    (
        Quirk::HeaderParserMisreadsValues,
        &[
            "https://github.com/EHER/OAuth/issues/2",
            "https://github.com/WP-API/OAuth1/issues/143",
            "https://github.com/joestump/python-oauth2/pull/151",
            "https://github.com/mrjones/oauth/pull/62",
            "https://github.com/willdurand/BazingaOAuthServerBundle/issues/13",
        ],
    ),
    (Quirk::PanicsOnInput, &["https://github.com/hypothesis/lms/issues/143"]),
    (Quirk::CollapsesQueryDuplicatesLast, &["https://github.com/googleapis/signet/issues/173"]),
    (
        Quirk::SignsNonFormBody,
        &[
            "https://github.com/Kong/mashape-oauth/pull/14",
            "https://github.com/chao/RESTClient/issues/105",
            "https://github.com/joestump/python-oauth2/issues/115",
        ],
    ),
    (
        Quirk::SignsJsonBodyMembers,
        &[
            "https://github.com/AFNetworking/AFOAuth1Client/pull/72",
            "https://github.com/ciaranj/connect-auth/issues/91",
        ],
    ),
    (
        Quirk::SignsMultipartFormFields,
        &[
            "https://github.com/WP-API/OAuth1/pull/206",
            "https://github.com/restsharp/RestSharp/pull/488",
            "https://github.com/ruby-oauth/oauth/issues/5",
            "https://github.com/zendframework/zf1/pull/244",
        ],
    ),
    (Quirk::KeepsQueryInBaseStringUri, &["https://github.com/jrconlin/oauthsimple/issues/13"]),
    (
        Quirk::EncodesSpaceAsPlus,
        &[
            "https://github.com/eclipse-ee4j/jersey/issues/783",
            "https://github.com/gifnksm/oauth-client-rs/pull/16",
            "https://github.com/scribejava/scribejava/pull/226",
        ],
    ),
    (
        Quirk::LeavesReservedCharactersUnencoded,
        &[
            "https://github.com/CORDEA/oauth/issues/4",
            "https://github.com/chrhansen/simple-oauth1/issues/8",
            "https://github.com/yahoo/TDOAuth/pull/36",
        ],
    ),
    (
        Quirk::EncodesUnreservedCharacters,
        &[
            "https://github.com/AFNetworking/AFOAuth1Client/pull/38",
            "https://github.com/joestump/python-oauth2/issues/15",
            "https://github.com/mikeknapp/AppEngine-OAuth-Library/issues/4",
            "https://github.com/r-lib/httr/issues/21",
            "https://github.com/request/oauth-sign/issues/4",
        ],
    ),
    (
        Quirk::EncodesWithLowercaseHex,
        &["https://github.com/Shinmera/chirp/pull/5", "https://github.com/gmr/urilib/issues/2"],
    ),
    (
        Quirk::EncodesValuesTwice,
        &[
            "https://github.com/Cimpress-MCP/oauth_reverse_proxy/pull/6",
            "https://github.com/ShareKit/ShareKit/pull/515",
            "https://github.com/ciaranj/node-oauth/pull/7",
            "https://github.com/ignacio/LuaOAuth/pull/4",
            "https://github.com/mttkay/signpost/pull/9",
            "https://github.com/scribejava/scribejava/issues/565",
        ],
    ),
    (
        Quirk::ReencodesPathEscapes,
        &[
            "https://github.com/Cimpress-MCP/oauth_reverse_proxy/pull/5",
            "https://github.com/Mastercard/oauth1-signer-java/issues/18",
        ],
    ),
    (Quirk::DecodesPathEscapes, &["https://github.com/oauthlib/oauthlib/issues/650"]),
    (
        Quirk::SignatureNotEncoded,
        &[
            "https://github.com/Mastercard/oauth1-signer-python/issues/35",
            "https://github.com/jrconlin/oauthsimple/issues/34",
            "https://github.com/spring-attic/spring-security-oauth/pull/52",
        ],
    ),
    (
        Quirk::KeyOmitsAmpersandWithoutToken,
        &[
            "https://github.com/guzzle/oauth-subscriber/pull/42",
            "https://github.com/woocommerce/woocommerce-rest-api-docs/issues/8",
            "https://github.com/woocommerce/woocommerce/issues/18146",
        ],
    ),
    (
        Quirk::DropsNonDefaultPort,
        &[
            "https://github.com/RestKit/RestKit/issues/490",
            "https://github.com/SPORE/net-http-spore/issues/27",
            "https://github.com/mageplus/mageplus/issues/90",
            "https://github.com/thephpleague/oauth1-client/pull/81",
            "https://github.com/unscene/node-oauth/pull/11",
            "https://github.com/yahoo/TDOAuth/issues/3",
        ],
    ),
    (Quirk::DropsTrailingSlash, &["https://github.com/guicocoa/cocoa-oauth/issues/5"]),
    (Quirk::DropsPathParameters, &["https://github.com/oauthlib/oauthlib/issues/83"]),
    (Quirk::LowercasesPath, &["https://github.com/RestKit/RestKit/issues/533"]),
    (
        Quirk::StringifiesStructuredValues,
        &[
            "https://github.com/ddo/oauth-1.0a/issues/49",
            "https://github.com/pelle/oauth/issues/8",
            "https://github.com/thephpleague/oauth1-client/issues/39",
            "https://github.com/woocommerce/wc-api-php/pull/278",
        ],
    ),
    (Quirk::SortsCaseInsensitively, &["https://github.com/AFNetworking/AFOAuth1Client/issues/36"]),
    (Quirk::SortsNaturally, &["https://github.com/OpenMage/magento-lts/pull/721"]),
    (Quirk::LeavesParametersUnsorted, &["https://github.com/Mastercard/oauth1-signer-nodejs/issues/3"]),
    (
        Quirk::OmitsExtraProtocolParameters,
        &["https://github.com/lexmag/oauther/issues/10", "https://github.com/maraujop/requests-oauth/issues/16"],
    ),
    (
        Quirk::HeaderCommaAfterScheme,
        &["https://github.com/hwi/HWIOAuthBundle/pull/120", "https://github.com/postmanlabs/newman/issues/653"],
    ),
    (Quirk::HeaderParametersSpaceSeparated, &["https://github.com/ahmadnassri/app-restconsole/issues/53"]),
    (Quirk::BodyHashOfHexDigest, &["https://github.com/request/request/issues/2792"]),
    (Quirk::BodyHashKeyed, &["https://github.com/ddo/oauth-1.0a/pull/57"]),
    (Quirk::BodyHashNotSigned, &["https://github.com/dobesv/axios-oauth-1.0a/pull/32"]),
    (Quirk::HashesAbsentBodyAsNone, &["https://github.com/Mastercard/oauth1-signer-python/issues/32"]),
    (
        Quirk::EncodesNonAsciiNotAsUtf8,
        &[
            "https://github.com/google/google-gdata/issues/615",
            "https://github.com/r-lib/httr/issues/423",
            "https://github.com/restsharp/RestSharp/issues/1945",
        ],
    ),
    (Quirk::LeavesNonAsciiUnencoded, &["https://github.com/geoffjentry/ROAuth/pull/4"]),
    (
        Quirk::SendsQueryInHeader,
        &[
            "https://github.com/yahoo/TDOAuth/issues/2",
            "https://github.com/postmanlabs/postman-app-support/issues/295",
            "https://github.com/ahmadnassri/app-restconsole/issues/45",
        ],
    ),
    (
        Quirk::SignsQueryTwice,
        &[
            "https://github.com/joestump/python-oauth2/issues/111",
            "https://github.com/spring-attic/spring-security-oauth/pull/403",
        ],
    ),
    (Quirk::SignsOauthSignature, &["https://github.com/jrconlin/oauthsimple/issues/6"]),
    (Quirk::NormalizesWithWrongSeparators, &["https://github.com/mulesoft/api-console/issues/61"]),
    (
        Quirk::RequiresOauthVersion,
        &[
            "https://github.com/azyobuzin/rust-oauthcli/pull/4",
            "https://github.com/hypothesis/lms/issues/143",
            "https://github.com/jacobkiers/OAuth/pull/3",
            "https://github.com/natevw/fermata/pull/48",
        ],
    ),
    (Quirk::RsaReadsPkcs1KeysOnly, &["https://github.com/drone29a/clj-oauth/pull/62"]),
    (
        Quirk::SendsParametersAddedAfterSigning,
        &[
            "https://github.com/request/request/pull/381",
            "https://github.com/ruby-oauth/oauth/pull/58",
            "https://github.com/scribejava/scribejava/issues/92",
        ],
    ),
    (
        Quirk::SendsParametersEncodedDifferently,
        &[
            "https://github.com/bdbergeron/BDBOAuth1Manager/pull/37",
            "https://github.com/ciaranj/node-oauth/issues/113",
            "https://github.com/dotnet/corefx/issues/6946",
            "https://github.com/sferik/twitter-ruby/pull/969",
        ],
    ),
    (
        Quirk::ServerSignsInternalUrl,
        &[
            "https://github.com/1EdTech/LTI-Tool-Provider-Library-PHP/pull/16",
            "https://github.com/Apereo-Learning-Analytics-Initiative/OpenDashboard-legacy/pull/58",
            "https://github.com/Apereo-Learning-Analytics-Initiative/OpenLRS/pull/21",
            "https://github.com/WP-API/OAuth1/issues/60",
            "https://github.com/jaredhanson/passport-http-oauth/pull/1",
            "https://github.com/omsmith/ims-lti/issues/62",
            "https://github.com/omsmith/ims-lti/issues/67",
            "https://github.com/omsmith/ims-lti/pull/43",
            "https://github.com/openedx/openedx-platform/pull/5016",
            "https://github.com/openwebwork/webwork2/issues/2074",
            "https://github.com/pelle/oauth/issues/1",
        ],
    ),
    (
        Quirk::ServerUsesConfiguredBaseUrl,
        &["https://github.com/WP-API/OAuth1/issues/58", "https://github.com/WP-API/OAuth1/pull/246"],
    ),
    (
        Quirk::ServerDoublesPathPrefix,
        &["https://github.com/WP-API/OAuth1/pull/78", "https://github.com/woocommerce/woocommerce/pull/4301"],
    ),
    (
        Quirk::TimestampInMilliseconds,
        &[
            "https://github.com/DotNetOpenAuth/DotNetOpenAuth/issues/322",
            "https://github.com/lionralfs/discogs-client/pull/199",
            "https://github.com/mrjones/oauth/pull/56",
        ],
    ),
    (
        Quirk::AcceptsReplayedNonce,
        &[
            "https://github.com/carlos-emr/carlos/issues/2388",
            "https://github.com/ciaranj/connect-auth/pull/100",
            "https://github.com/django-tastypie/django-tastypie/issues/459",
            "https://github.com/joestump/python-oauth2/issues/129",
            "https://github.com/openequella/openEQUELLA/issues/227",
        ],
    ),
    (
        Quirk::RepeatsNonce,
        &[
            "https://github.com/AFNetworking/AFOAuth1Client/issues/4",
            "https://github.com/AFNetworking/AFOAuth1Client/issues/52",
            "https://github.com/flickr/flickr-sdk/pull/42",
        ],
    ),
    (
        Quirk::ResendsSignatureOnRedirect,
        &[
            "https://github.com/infoScoop/infoscoop/issues/183",
            "https://github.com/joestump/python-oauth2/issues/157",
            "https://github.com/playframework/playframework/issues/3841",
            "https://github.com/request/request/issues/1573",
            "https://github.com/requests/requests-oauthlib/issues/116",
        ],
    ),
    (Quirk::ServerSignsRewrittenQuery, &["https://github.com/kloon/WooCommerce-REST-API-Client-Library/issues/19"]),
    (
        Quirk::IgnoresHostHeader,
        &["https://github.com/mrjones/oauth/pull/50", "https://github.com/oauthlib/oauthlib/issues/142"],
    ),
];

/// [`REPORTS`] of `quirk` (none for a quirk no public report shows yet).
#[must_use]
pub fn reports(quirk: Quirk) -> &'static [&'static str] {
    REPORTS.iter().find(|(q, _)| *q == quirk).map_or(&[], |(_, reports)| reports)
}

/// The first of [`reports`], when there is one.
#[must_use]
pub fn bug_report(quirk: Quirk) -> Option<&'static str> {
    reports(quirk).first().copied()
}

/// Characters that would end a Markdown table cell or start markup are escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The "seen in the wild" cell: how many public reports show the quirk, and the first two.
fn seen_in_the_wild(quirk: Quirk) -> String {
    let reports = reports(quirk);
    if reports.is_empty() {
        return String::new();
    }
    let links: Vec<String> = reports.iter().take(2).map(|url| format!("<{url}>")).collect();
    format!("{}: {}", reports.len(), links.join(", "))
}

/// The whole catalogue as a Markdown page.
#[must_use]
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# The quirk catalogue\n\n");
    out.push_str(
        "Named deviations from RFC 5849 seen in real implementations. A *switchable* quirk is a variant of the \
         reference pipeline, so the harness attributes a divergence to the smallest set of them that reproduces \
         every stage an implementation reported; the others (rejections, parser and verifier verdicts, crashes) are \
         recognised by rule or assigned in a baseline. Baselines (`adapters/baselines/`) name these ids.\n\n",
    );
    out.push_str(
        "Where several single quirks sign a case alike, the row's other cases decide which one is named \
         (`crates/conformance/src/row_evidence.rs`): a quirk that alone would change a case the row signed as the \
         RFC says is passed over, and of the others the one that signs like the most of the row's divergences wins (the catalogue's first among equals). \
         The choice is made again by `report merge` with the whole row's evidence (each result keeps its tied \
         quirks, `ties`, and each row the quirks its passing cases rule out, `ruled_out`), so a campaign run in \
         shards names every case as one run would. Every switchable quirk passes the round trip of \
         `crates/conformance/tests/round_trip.rs`: the reference with that quirk alone (`--impl reference+QUIRK`), run over the corpus and generated cases, diverges, and \
         every divergence is named after that quirk alone. No two quirks sign every case alike, so none is listed \
         as indistinguishable from another.\n\n",
    );
    out.push_str(
        "*Seen in the wild* counts the public bug reports and pull requests that show the mistake in some \
         implementation (the first two linked); every one is a row of [quirks-in-the-wild.md](quirks-in-the-wild.md), \
         with its language, library and root cause.\n\n",
    );
    out.push_str(
        "Generated from `crates/conformance/src/quirks/mod.rs` and `quirk_catalogue.rs`: do not edit by hand; run\n",
    );
    out.push_str(
        "`UPDATE_DOCS=1 cargo test -p oauth1-conformance --test quirk_catalogue` after changing the catalogue.\n\n",
    );
    out.push_str(
        "*Kind*: `deviation` breaks a MUST of RFC 5849 (or of draft-eaton-oauth-bodyhash, where the reason says so); \
         `leniency` is something the RFC leaves room for; `limit` is an API limit (a refusal, an input the library \
         cannot take, a crash: no wrong answer, only none); `wire` is a mistake only the wire shows (what a client \
         sends differs from what it signed, a server rebuilds the request or skips a check), which no vector \
         reproduces and the live modes look for.\n\n",
    );
    out.push_str(
        "| id | kind | switchable | what the implementation does | RFC | minimal vector | seen in the wild |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for &quirk in Quirk::ALL {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            quirk.id(),
            quirk
                .kind_reason()
                .map_or_else(|| quirk.kind().to_string(), |why| format!("{}: {}", quirk.kind(), cell(why))),
            if quirk.is_switchable() { "yes" } else { "no" },
            cell(quirk.description()),
            cell(quirk.section()),
            if quirk.minimal_vector().is_empty() { String::new() } else { format!("`{}`", quirk.minimal_vector()) },
            seen_in_the_wild(quirk),
        );
    }
    out
}
