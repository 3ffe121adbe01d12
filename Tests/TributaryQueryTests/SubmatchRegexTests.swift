import Testing
import TributaryQuery

/// Submatches as RE2/Go report them (leftmost-first), from the Pike VM.
@Suite struct SubmatchRegexTests {
    static func groups(_ pattern: String, _ text: String) throws -> [String?]? {
        try SubmatchRegex(pattern).firstMatch(in: text)?.map { $0.map(String.init) }
    }

    @Test func groupsFollowLeftmostFirstPriority() throws {
        #expect(try Self.groups("(a+)(a*)", "aaa") == ["aaa", "aaa", ""])
        #expect(try Self.groups("(a+?)(a*)", "aaa") == ["aaa", "a", "aa"], "lazy prefers the shorter submatch")
        #expect(try Self.groups("(a|ab)(c|bcd)", "abcd") == ["abcd", "a", "bcd"], "the first alternative wins, not the longest")
        #expect(try Self.groups(#"(\d+)"#, "port 8080 and 9090") == ["8080", "8080"], "the leftmost match")
        #expect(try Self.groups("(a)|(b)", "xb") == ["b", nil, "b"], "a group that did not take part is nil")
        #expect(try Self.groups("(x)?y", "y") == ["y", nil])
        #expect(try Self.groups("(?P<k>\\w+)=(?P<v>[^ ]*)", "  user=alice id=") == ["user=alice", "user", "alice"])
        #expect(try Self.groups("^$", "") == [""])
        #expect(try Self.groups("z", "abc") == nil)
    }

    @Test func namesAndUnicodeOffsets() throws {
        let regex = try SubmatchRegex("(?P<word>\\w+) (?:x) (\\d)")
        #expect(regex.groupNames == ["word", nil])
        #expect(try Self.groups("é(.)", "aébc") == ["éb", "b"])
    }

    /// The time limit turns an exponential blow-up into a failure.
    @Test(.timeLimit(.minutes(1))) func pathologicalPatternsStayLinear() throws {
        let regex = try SubmatchRegex(#"((a+)+)$"#)
        let text = String(repeating: "a", count: 5_000) + "!"
        #expect(regex.firstMatch(in: text) == nil)
        #expect(regex.firstMatch(in: "aaaa")?.first??.count == 4)
    }
}
