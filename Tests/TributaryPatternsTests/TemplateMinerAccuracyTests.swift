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
