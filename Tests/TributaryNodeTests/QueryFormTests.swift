import Testing
@testable import TributaryNode

/// Query strings and form bodies decode as HTML forms do.
@Suite struct QueryFormTests {
    @Test func plusIsASpaceAndPercentEscapesAreBytes() {
        let form = QueryForm(urlEncoded: "query=%7Bapp%3D%22a%22%7D+%7C%3D+%22x+y%22&limit=5&empty=&flag")
        #expect(form.get("query") == #"{app="a"} |= "x y""#)
        #expect(form.get("limit") == "5")
        #expect(form.get("empty") == "")
        #expect(form.get("flag") == "")
        #expect(form.get("missing") == nil)
    }

    @Test func aLiteralPlusTravelsAsPercent2B() {
        #expect(QueryForm.decode("a%2Bb") == "a+b")
        #expect(QueryForm.decode("sum(x)%20%2B%201") == "sum(x) + 1")
    }

    @Test func malformedEscapesStayAsWritten() {
        #expect(QueryForm.decode("100%") == "100%")
        #expect(QueryForm.decode("%zz%4") == "%zz%4")
        #expect(QueryForm.decode("%C3%A9") == "é")
        #expect(QueryForm.decode("%FF") == "\u{FFFD}")
    }

    @Test func theFirstValueOfARepeatedNameCounts() {
        #expect(QueryForm(urlEncoded: "a=1&a=2").get("a") == "1")
    }
}
