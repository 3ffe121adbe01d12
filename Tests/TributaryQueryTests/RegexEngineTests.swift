import Foundation
import Testing
import TributaryQuery

/// The linear-time regex engine behind line filters and label matchers.
@Suite struct RegexEngineTests {
    static func part(_ pattern: String, _ text: String) throws -> Bool {
        try CompiledRegex(pattern).matchesPart(text)
    }

    static func whole(_ pattern: String, _ text: String) throws -> Bool {
        try CompiledRegex(pattern, dotMatchesNewline: true).matchesWhole(text)
    }

    /// Backtracking engines take exponential time here; the Pike VM reads
    /// each character once per program step. The time limit turns a hang
    /// (the old engine) into a failure.
    @Test(.timeLimit(.minutes(1)), arguments: [#"(a+)+$"#, #"(a|aa)+$"#, #"(a*)*b"#, #"(?:a+){2,}$"#, #"^(\w+\s?)*$"#])
    func pathologicalPatternsFinishQuickly(pattern: String) throws {
        let regex = try CompiledRegex(pattern)
        for length in [30, 40, 5_000] {
            let text = String(repeating: "a", count: length) + "!"
            #expect(!regex.matchesPart(text), "\(pattern) on \(length) a's and !")
            #expect(!regex.matchesWhole(text))
        }
        #expect(try Self.part(#"(a+)+$"#, "aaaa"))
    }

    @Test func literalsClassesAndEscapes() throws {
        #expect(try Self.part("5\\d\\d", "GET / 504 upstream"))
        #expect(try !Self.part("5\\d\\d", "GET / 200 ok"))
        #expect(try Self.part("[a-c]x[^0-9]", "zzbx!"))
        #expect(try !Self.part("[a-c]x[^0-9]", "bx1"))
        #expect(try Self.part("\\w+@\\w+\\.com", "mail bob@example.com now"))
        #expect(try Self.part("a\\sb", "a\tb"))
        #expect(try Self.part("\\.", "a.b"))
        #expect(try !Self.part("\\.", "ab"))
        #expect(try Self.part("[[:digit:]]{3}", "x123"))
        #expect(try Self.part("[]a]", "]"))
        #expect(try Self.part("[a-]", "-"))
        #expect(try Self.part("\\x41\\x{42}", "AB"))
        #expect(try Self.part("a{2}", "caab"))
        #expect(try !Self.part("^a{2}$", "aaa"))
        #expect(try Self.part("^a{2,3}$", "aaa"))
        #expect(try Self.part("^a{2,}$", "aaaaa"))
        #expect(try Self.part("x{", "x{"), "a { that is not a count is literal, as in RE2")
    }

    @Test func anchorsAlternationAndGroups() throws {
        #expect(try Self.part("^GET", "GET /"))
        #expect(try !Self.part("^GET", "a GET /"))
        #expect(try Self.part("timeout$", "upstream timeout"))
        #expect(try !Self.part("timeout$", "timeout after"))
        #expect(try Self.part("(?:error|warn)ing", "a warning"))
        #expect(try Self.part("(?P<code>5..) (?<word>\\w+)", "504 upstream"))
        #expect(try Self.part("\\bcat\\b", "a cat sat"))
        #expect(try !Self.part("\\bcat\\b", "concatenate"))
        #expect(try Self.part("\\Bcat\\B", "concatenate"))
        #expect(try Self.part("(?m)^b$", "a\nb\nc"))
        #expect(try !Self.part("^b$", "a\nb\nc"))
        #expect(try Self.part("", "anything"))
        #expect(try Self.part("a|", "zzz"), "an empty branch matches everywhere")
    }

    @Test func flagsChangeCaseAndDot() throws {
        #expect(try Self.part("(?i)error", "ERROR: x"))
        #expect(try !Self.part("error", "ERROR: x"))
        #expect(try Self.part("(?i:err)OR", "ERROR"))
        #expect(try !Self.part("(?i:err)or", "ERROR"))
        #expect(try Self.part("(?i)[a-c]", "B"))
        #expect(try Self.part("(?i)straße", "STRAßE"))
        #expect(try Self.part("(?i)é", "É"))
        #expect(try !Self.part("a.b", "a\nb"), "RE2: . stops at a newline unless (?s)")
        #expect(try Self.part("(?s)a.b", "a\nb"))
        #expect(try Self.whole("a.b", "a\nb"), "label matchers are ^(?s:…)$, as in Prometheus")
    }

    @Test func wholeMatchesAreAnchoredAtBothEnds() throws {
        #expect(try Self.whole("web-.*", "web-1"))
        #expect(try !Self.whole("web-.*", "a web-1"))
        #expect(try !Self.whole("web", "web-1"))
        #expect(try Self.whole("web-1|db-1", "db-1"))
        #expect(try Self.whole("", ""))
        #expect(try !Self.whole("", "x"))
    }

    @Test func unicodeIsMatchedByCharacterAndBadUTF8NeverTraps() throws {
        #expect(try Self.whole("h.llo", "hällo"))
        #expect(try Self.whole("^.{5}$", "日本語です"))
        #expect(try Self.part("[α-ω]+", "x λ y"))
        let regex = try CompiledRegex("a.c")
        let bytes: [UInt8] = [0x61, 0xFF, 0x63, 0xC3, 0x28, 0xE2, 0x82]
        #expect(bytes.withUnsafeBytes { regex.matchesPart(bytes: $0) }, "an invalid byte is one character (U+FFFD)")
    }

    /// What RE2 refuses is refused with its position and what to do.
    @Test(arguments: [
        (#"(a)\1"#, 3, "backreferences"),
        (#"foo(?=bar)"#, 3, "lookahead"),
        (#"(?!x)"#, 0, "lookahead"),
        (#"(?<=x)y"#, 0, "lookbehind"),
        (#"(?>a+)"#, 0, "atomic"),
        (#"a**"#, 2, "nested repetition"),
        (#"a++"#, 2, "nested repetition"),
        (#"*a"#, 0, "missing argument"),
        (#"a{1001}"#, 1, "1000"),
        (#"a{3,2}"#, 1, "below the minimum"),
        (#"(abc"#, 0, "missing \")\""),
        (#"abc)"#, 3, "unmatched"),
        (#"[abc"#, 0, "missing \"]\""),
        (#"[z-a]"#, 1, "comes after"),
        (#"\pL"#, 0, "Unicode classes"),
        (#"\q"#, 0, "unknown escape"),
        (#"abc\"#, 3, "trailing backslash"),
        (#"(?x)a"#, 0, "unknown group syntax"),
        (#"(?U)a"#, 2, "unsupported flag"),
    ])
    func unsupportedSyntaxIsAnErrorWithItsPosition(pattern: String, position: Int, message: String) {
        do {
            _ = try CompiledRegex(pattern)
            Issue.record("\(pattern) was accepted")
        } catch {
            #expect(error.position == position, "\(pattern): \(error)")
            #expect(error.message.contains(message), "\(pattern): \(error)")
        }
    }

    @Test func hugeProgramsAreRefused() {
        #expect(throws: RegexSyntaxError.self) { try CompiledRegex("(?:(?:a{1000}){1000})") }
    }

    /// Ordinary patterns answer as Swift's (backtracking) Regex does.
    @Test func agreesWithSwiftRegexOnOrdinaryPatterns() throws {
        let patterns = [
            "abc", "a.c", "^GET", "timeout$", "5\\d\\d", "[a-z]+ing", "(?:GET|POST) /[a-z]*", "\\w+=\\w+", "a?b+c*", "(ab|cd){2}",
            "x{2,4}y", "[^ ]+ [^ ]+", "^\\s*$", "\\d{1,3}\\.\\d{1,3}", "(a|b)*c", "err(or)?", "^[A-Z][a-z]+$", "\\bid\\b", ".*", "a|b|c",
            "(?i)warn", "[0-9a-f]{4}", "^(\\w+):", "level=(info|warn|error)", "u[sr]er",
        ]
        let texts = [
            "", "abc", "xabcx", "GET /index 200", "POST /api 504 upstream timeout", "request timeout", "ERROR 500", "warning: disk",
            "user=alice level=warn", "ababcd", "cdcd", "xxy", "xxxxxy", "a b", "   ", "10.0.0.1", "aabbbc", "c", "Hello", "hello",
            "the id is 4", "identity", "WARN now", "dead beef", "host: web-1", "usr", "uer",
        ]
        for pattern in patterns {
            let ours = try CompiledRegex(pattern)
            let theirs = try Regex(pattern)
            for text in texts {
                let expected = (try? theirs.firstMatch(in: text)) != nil
                #expect(ours.matchesPart(text) == expected, "\(pattern) in \"\(text)\"")
                let expectedWhole = (try? theirs.wholeMatch(in: text)) != nil
                #expect(ours.matchesWhole(text) == expectedWhole, "whole \(pattern) on \"\(text)\"")
            }
        }
    }
}
