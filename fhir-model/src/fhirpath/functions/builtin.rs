//! The engine's own functions, recognised by name once while parsing: evaluation then
//! dispatches on a number instead of comparing the name with every function it knows. A
//! name that is not here goes to the host's functions ([`crate::fhirpath::UserFunctions`]).

/// Declares [`Builtin`] with its spelling in expressions, in one list.
macro_rules! builtins {
    ($($variant:ident = $name:literal,)*) => {
        /// A function of the FHIRPath specification (or of FHIR's additions to it).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Builtin {
            $($variant,)*
        }

        impl Builtin {
            /// The function called `name`, if the engine has one.
            pub fn from_name(name: &str) -> Option<Builtin> {
                Some(match name {
                    $($name => Builtin::$variant,)*
                    _ => return None,
                })
            }

            /// Its name as written in expressions.
            pub fn name(self) -> &'static str {
                match self {
                    $(Builtin::$variant => $name,)*
                }
            }
        }
    };
}

builtins! {
    // Existence, filtering, subsetting, combining, aggregates, tree navigation.
    Empty = "empty",
    Exists = "exists",
    All = "all",
    AllTrue = "allTrue",
    AnyTrue = "anyTrue",
    AllFalse = "allFalse",
    AnyFalse = "anyFalse",
    SubsetOf = "subsetOf",
    SupersetOf = "supersetOf",
    Count = "count",
    Distinct = "distinct",
    IsDistinct = "isDistinct",
    Where = "where",
    Select = "select",
    Repeat = "repeat",
    Single = "single",
    First = "first",
    Last = "last",
    Tail = "tail",
    Skip = "skip",
    Take = "take",
    Intersect = "intersect",
    Exclude = "exclude",
    Union = "union",
    Combine = "combine",
    Aggregate = "aggregate",
    Sort = "sort",
    Children = "children",
    Descendants = "descendants",
    Iif = "iif",
    Not = "not",
    // Strings.
    Upper = "upper",
    Lower = "lower",
    Length = "length",
    ToChars = "toChars",
    Trim = "trim",
    IndexOf = "indexOf",
    Substring = "substring",
    StartsWith = "startsWith",
    EndsWith = "endsWith",
    Contains = "contains",
    Matches = "matches",
    MatchesFull = "matchesFull",
    Replace = "replace",
    ReplaceMatches = "replaceMatches",
    Split = "split",
    Join = "join",
    Encode = "encode",
    Decode = "decode",
    Escape = "escape",
    Unescape = "unescape",
    // Math.
    Abs = "abs",
    Ceiling = "ceiling",
    Exp = "exp",
    Floor = "floor",
    Ln = "ln",
    Log = "log",
    Power = "power",
    Round = "round",
    Sqrt = "sqrt",
    Truncate = "truncate",
    // Conversions.
    ToBoolean = "toBoolean",
    ConvertsToBoolean = "convertsToBoolean",
    ToInteger = "toInteger",
    ConvertsToInteger = "convertsToInteger",
    ToDecimal = "toDecimal",
    ConvertsToDecimal = "convertsToDecimal",
    ToString = "toString",
    ConvertsToString = "convertsToString",
    ToDate = "toDate",
    ConvertsToDate = "convertsToDate",
    ToDateTime = "toDateTime",
    ConvertsToDateTime = "convertsToDateTime",
    ToTime = "toTime",
    ConvertsToTime = "convertsToTime",
    ToQuantity = "toQuantity",
    ConvertsToQuantity = "convertsToQuantity",
    Precision = "precision",
    LowBoundary = "lowBoundary",
    HighBoundary = "highBoundary",
    Comparable = "comparable",
    // Types, utilities and FHIR's additions.
    Is = "is",
    As = "as",
    OfType = "ofType",
    Type = "type",
    Trace = "trace",
    Now = "now",
    Today = "today",
    TimeOfDay = "timeOfDay",
    Extension = "extension",
    HasValue = "hasValue",
    GetValue = "getValue",
    Resolve = "resolve",
    HtmlChecks = "htmlChecks",
    MemberOf = "memberOf",
    ConformsTo = "conformsTo",
}

#[cfg(test)]
mod tests {
    use super::Builtin;

    #[test]
    fn names_read_back() {
        for name in [
            "where",
            "ofType",
            "convertsToQuantity",
            "conformsTo",
            "toChars",
        ] {
            let f = Builtin::from_name(name).expect(name);
            assert_eq!(f.name(), name);
        }
        assert_eq!(Builtin::from_name("getResourceKey"), None);
        assert_eq!(Builtin::from_name("Where"), None);
    }
}
