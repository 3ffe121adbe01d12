import Testing
import TributaryPatterns

@Suite struct TemplateMinerAccuracyTests {
    @Test func shippedConfigurationGroupsLoghubAtLeastNinetyFivePercent() throws {
        let files = try LoghubLabelledFiles.load()
        #expect(files.count == 6)
        var total = 0.0
        for file in files {
            let accuracy = GroupingAccuracy.mine(file.contents, truth: file.eventIDs, configuration: TemplateMinerConfiguration())
            print("\(file.name) \(accuracy)")
            total += accuracy
        }
        let mean = total / Double(files.count)
        print("mean \(mean)")
        #expect(mean >= 0.95)
    }
}

@Suite struct TemplateMinerGroupingTests {
    @Test func variablesAreFoundAndMessagesKeptApart() throws {
        let miner = TemplateMiner()
        let users = ["cyrus", "news", "test", "mail"].map { miner.learn("session opened for user \($0) by (uid=0)") }
        let ids = Set(users.map { miner.resolve($0) })
        #expect(ids.count == 1)
        #expect(miner.template(users[0])?.text == "session opened for user <*> by (uid=<*>", "the value after key= is the variable, up to the next space")
        let start = miner.learn("cupsd startup succeeded")
        let stop = miner.learn("cupsd shutdown succeeded")
        #expect(miner.resolve(start) != miner.resolve(stop))
        let sizes = ["5.2 KB", "120.0 B", "1.1 MB"].map { miner.learn("Block stored (estimated size \($0), free 9 KB)") }
        #expect(Set(sizes.map { miner.resolve($0) }).count == 1)
    }

    /// Not a target, a check that order hardly matters: the same files
    /// shuffled still group well.
    @Test func shuffledLoghubStillGroupsWell() throws {
        var total = 0.0
        let files = try LoghubLabelledFiles.load()
        for file in files {
            var generator = SplitMix64(seed: 42)
            let order = Array(file.contents.indices).shuffled(using: &generator)
            total += GroupingAccuracy.mine(order.map { file.contents[$0] }, truth: order.map { file.eventIDs[$0] }, configuration: TemplateMinerConfiguration())
        }
        #expect(total / Double(files.count) >= 0.9)
    }
}
