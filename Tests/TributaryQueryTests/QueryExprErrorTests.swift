import Testing
import TributaryQuery

/// Every class of error, with the position it is reported at. Type errors
/// carry Prometheus' (or Loki's) wording as `message`; syntax errors say
/// what was expected and what was found.
@Suite struct QueryExprErrorTests {
    static func error(_ text: String, _ language: QueryLanguage = .promql) -> QueryError? {
        do {
            let parsed = try QueryExpr.parse(text, language: language)
            Issue.record("\(text) parsed as \(parsed)")
            return nil
        } catch {
            return error
        }
    }

    /// (query, position, words the message must contain).
    @Test(arguments: [
        ("", 0, "no expression found in input"),
        ("1 +", 3, "found the end of the query"),
        ("sum(x", 5, "\",\" or \")\""),
        ("foo{a=\"b\"", 9, "\",\" or \"}\""),
        ("foo{a==\"b\"}", 5, "matcher operator"),
        ("foo{a=\"b\" c=\"d\"}", 10, "\",\" or \"}\""),
        ("foo{a:b=\"c\"}", 4, "a label name"),
        ("foo{a=b}", 6, "a quoted label value"),
        ("{}", 0, "vector selector must contain at least one non-empty matcher"),
        ("{a=\"\"}", 0, "vector selector must contain at least one non-empty matcher"),
        ("{a=~\".*\"}", 0, "vector selector must contain at least one non-empty matcher"),
        ("rate({a!=\"\"}[5m]) + {b=~\".*\"}", 20, "vector selector must contain at least one non-empty matcher"),
        ("foo{__name__=\"bar\"}", 0, "metric name must not be set twice: \"foo\" or \"bar\""),
        ("1 > 2", 2, "comparisons between scalars must use BOOL modifier"),
        ("1 and 2", 0, "set operator \"and\" not allowed in binary scalar expression"),
        ("foo or 1", 0, "set operator \"or\" not allowed in binary scalar expression"),
        ("a + bool b", 2, "bool modifier can only be used on comparison operators"),
        ("a and on(x) group_left b", 0, "no grouping allowed for \"and\" operation"),
        ("a + on(x) group_left(x) b", 2, "label \"x\" must not occur in ON and GROUP clause at once"),
        ("1 + on(x) foo", 0, "vector matching only allowed between instant vectors"),
        ("foo[5m] + 1", 0, "binary expression must contain only scalar and instant vector types"),
        ("1 - \"a\"", 4, "binary expression must contain only scalar and instant vector types"),
        ("rate(foo)", 5, "expected type range vector in call to function \"rate\", got instant vector"),
        ("abs(foo[5m])", 4, "expected type instant vector in call to function \"abs\", got range vector"),
        ("label_replace(x, 1, \"a\", \"b\", \"c\")", 17, "expected type string in call to function \"label_replace\", got scalar"),
        ("rate()", 0, "expected 1 argument(s) in call to \"rate\", got 0"),
        ("round(a, 1, 2)", 0, "expected at most 2 argument(s) in call to \"round\", got 3"),
        ("label_join(a, \"b\")", 0, "expected at least 3 argument(s) in call to \"label_join\", got 2"),
        ("rate(1, 2)", 0, "expected 1 argument(s) in call to \"rate\", got 2"),
        ("foo(bar)", 0, "unknown function with name \"foo\""),
        ("rate(foo[5m],)", 12, "trailing commas not allowed in function call args"),
        ("sum()", 0, "no arguments for aggregate expression provided"),
        ("topk(x)", 0, "wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        ("sum(a, b)", 0, "wrong number of arguments for aggregate expression provided, expected 1, got 2"),
        ("sum(1)", 4, "expected type instant vector in aggregation expression, got scalar"),
        ("topk(\"a\", x)", 5, "expected type scalar in aggregation parameter, got string"),
        ("count_values(1, x)", 13, "expected type string in aggregation parameter, got scalar"),
        ("sum by (a) (x) by (b)", 15, "one by/without clause"),
        ("sum by (a (x)", 10, "\",\" or \")\""),
        ("sum by a (x)", 7, "\"(\""),
        ("a + on b", 7, "\"(\""),
        ("(foo)[5m]", 5, "ranges only allowed for vector selectors"),
        ("foo offset 5m [5m]", 14, "no offset modifiers allowed before range"),
        ("foo @ 10 [5m]", 9, "no @ modifiers allowed before range"),
        ("foo offset 1m offset 2m", 0, "offset may not be set multiple times"),
        ("foo @ 1 @ 2", 0, "@ <timestamp> may not be set multiple times"),
        ("(foo) offset 5m", 0, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ("sum(foo) @ 5", 0, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ("foo @ Inf", 0, "timestamp out of bounds for @ modifier"),
        ("foo @ 1e300", 0, "timestamp out of bounds for @ modifier"),
        ("foo @ x", 6, "a Unix time in seconds"),
        ("foo[0s]", 4, "duration must be greater than 0"),
        ("foo[5m:0]", 7, "duration must be greater than 0"),
        ("foo[5x]", 4, "a number or a duration such as 5m"),
        ("foo[1m5h]", 4, "largest first"),
        ("foo[1.5s]", 4, "a number or a duration"),
        ("foo[201y]", 4, "at most 200y"),
        ("foo offset 300y", 11, "at most 200y"),
        ("foo[99999999999999999999s]", 4, "at most 200y"),
        ("foo[5m", 6, "\":\" or \"]\""),
        ("foo[5m:1m", 9, "\"]\" to close the subquery"),
        ("foo[5m][5m:]", 0, "subquery is only allowed on instant vector, got matrix instead"),
        ("-foo[5m]", 0, "unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\""),
        ("\"a\\d\"", 2, "a known escape sequence"),
        ("\"a\\x4\"", 2, "2 hexadecimal digits"),
        ("\"a\\uD800\"", 2, "a valid Unicode code point"),
        ("\"abc", 0, "a closing \""),
        ("'a\nb'", 0, "a closing '"),
        ("foo $ bar", 4, "the character \"$\""),
        ("foo{a=~\"(\"}", 7, "a valid regular expression"),
        ("foo bar", 4, "an operator or the end of the query"),
        ("a + ", 4, "an expression"),
        ("bool", 0, "an expression"),
        ("rate(x[5m]) by (a)", 12, "an operator or the end of the query"),
        ("0x", 0, "a number or a duration"),
        (String(repeating: "9", count: 400), 0, "error parsing number"),
        ("1..2", 0, "bad number syntax: \"1..2\""),
        ("foo[1..2]", 4, "bad number syntax"),
        ("count_over_time(x)", 16, "expected type range vector in call to function \"count_over_time\", got instant vector"),
        ("bytes_rate(x[5m])", 0, "bytes_rate is a LogQL range aggregation"),
    ])
    func reportsPositionAndCause(text: String, position: Int, words: String) throws {
        let error = try #require(Self.error(text))
        #expect(error.position == position, "\(text): \(error)")
        #expect(error.description.contains(words), "\(text): \(error)")
    }

    @Test func typeErrorsComeAfterSyntaxErrors() throws {
        // Prometheus checks types only once the whole text has parsed.
        let error = try #require(Self.error("(1 > 2) + (x"))
        #expect(error.description.contains("\",\" or \")\"") || error.description.contains("\")\""), "\(error)")
        #expect(error.message == nil)
    }

    @Test func theFirstTypeErrorInPrometheusOrderWins() throws {
        // A call's argument count is checked before its arguments.
        let count = try #require(Self.error("rate(1 > 2, 3)"))
        #expect(count.message == "expected 1 argument(s) in call to \"rate\", got 2")
        // Children before their parent's own checks.
        let child = try #require(Self.error("sum(1 > 2)"))
        #expect(child.message == "comparisons between scalars must use BOOL modifier")
    }

    @Test func messagesReadAsSentences() throws {
        let error = try #require(Self.error("1 > 2"))
        #expect(error.description == "position 2: comparisons between scalars must use BOOL modifier")
        let syntax = try #require(Self.error("foo{a==\"b\"}"))
        #expect(syntax.description == "position 5: expected a matcher operator (=, !=, =~, !~), found \"==\"")
    }
}
