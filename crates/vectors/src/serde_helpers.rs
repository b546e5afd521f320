//! Serde adapters for the two ordered string-pair encodings of the format.

/// `Vec<(String, String)>` as a JSON object `{name: value}`: order kept, duplicate keys rejected.
pub(crate) mod ordered_map {
    use std::fmt;

    use serde::de::{Error as _, MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(entries: &[(String, String)], serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (name, value) in entries {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(String, String)>, D::Error> {
        deserializer.deserialize_map(OrderedMapVisitor)
    }

    struct OrderedMapVisitor;

    impl<'de> Visitor<'de> for OrderedMapVisitor {
        type Value = Vec<(String, String)>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object with string values")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries: Vec<(String, String)> = Vec::new();
            while let Some(name) = map.next_key::<String>()? {
                if entries.iter().any(|(n, _)| *n == name) {
                    return Err(A::Error::custom(format_args!("duplicate key `{name}`")));
                }
                let value = map.next_value::<String>()?;
                entries.push((name, value));
            }
            Ok(entries)
        }
    }
}

/// `Vec<(String, String)>` as a JSON array of two-element arrays `[[name, value], ...]`.
pub(crate) mod pairs {
    use std::fmt;

    use serde::de::{Error as _, IgnoredAny, SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(entries: &[(String, String)], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(entries.len()))?;
        for (name, value) in entries {
            seq.serialize_element(&[name, value])?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(String, String)>, D::Error> {
        let pairs = Vec::<Pair>::deserialize(deserializer)?;
        Ok(pairs.into_iter().map(|Pair(name, value)| (name, value)).collect())
    }

    /// One `[name, value]` pair; any other length is an error.
    struct Pair(String, String);

    impl<'de> Deserialize<'de> for Pair {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_seq(PairVisitor)
        }
    }

    struct PairVisitor;

    const EXPECTING: &str = "a [name, value] pair of two strings";

    impl<'de> Visitor<'de> for PairVisitor {
        type Value = Pair;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(EXPECTING)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pair, A::Error> {
            let Some(name) = seq.next_element::<String>()? else {
                return Err(A::Error::invalid_length(0, &EXPECTING));
            };
            let Some(value) = seq.next_element::<String>()? else {
                return Err(A::Error::invalid_length(1, &EXPECTING));
            };
            let mut len = 2;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                len += 1;
            }
            if len == 2 {
                Ok(Pair(name, value))
            } else {
                Err(A::Error::invalid_length(len, &EXPECTING))
            }
        }
    }

    /// The same encoding for an optional field (absent or `null` is `None`).
    pub(crate) mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        #[allow(clippy::ref_option)] // serde's `with` passes `&Option<T>`.
        pub(crate) fn serialize<S: Serializer>(
            entries: &Option<Vec<(String, String)>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match entries {
                Some(entries) => super::serialize(entries, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Vec<(String, String)>>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapped(#[serde(with = "super")] Vec<(String, String)>);
            let wrapped = Option::<Wrapped>::deserialize(deserializer)?;
            Ok(wrapped.map(|Wrapped(entries)| entries))
        }
    }
}
