import Testing
import TributaryModel

@Suite struct LabelsTests {
    @Test func pairsAreSortedByName() throws {
        let labels = try Labels(["source": "syslog", "host": "web-1", "app": "nginx"])
        #expect(labels.map(\.name) == ["app", "host", "source"])
        #expect(labels["host"] == "web-1")
        #expect(labels["missing"] == nil)
        #expect(labels.description == #"{app="nginx", host="web-1", source="syslog"}"#)
    }

    @Test func equalSetsAreEqualWhateverTheInputOrder() throws {
        let a = try Labels([Label("b", "2"), Label("a", "1")])
        let b = try Labels([Label("a", "1"), Label("b", "2")])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }

    @Test(arguments: ["", "1abc", "has-dash", "has space", "dotted.name", "é"])
    func invalidNamesAreRefused(name: String) {
        #expect(throws: LabelError.invalidName(name)) { try Labels([Label(name, "v")]) }
    }

    @Test(arguments: ["a", "_", "host", "A_1", "__name__"])
    func validNamesAreAccepted(name: String) throws {
        #expect(try Labels([Label(name, "v")]).count == 1)
    }

    @Test func duplicateNamesAreRefused() {
        #expect(throws: LabelError.duplicateName("host")) {
            try Labels([Label("host", "a"), Label("app", "x"), Label("host", "b")])
        }
    }

    @Test func settingReplacesOrInsertsInOrder() throws {
        let labels = try Labels(["host": "a", "source": "file"])
        let replaced = try labels.setting("host", to: "b")
        #expect(replaced["host"] == "b")
        let inserted = try labels.setting("env", to: "prod")
        #expect(inserted.map(\.name) == ["env", "host", "source"])
        #expect(throws: LabelError.invalidName("bad name")) { try labels.setting("bad name", to: "x") }
    }

    @Test func errorsSayWhatIsExpected() {
        #expect(LabelError.invalidName("a-b").description.contains("[A-Za-z_][A-Za-z0-9_]*"))
    }
}
