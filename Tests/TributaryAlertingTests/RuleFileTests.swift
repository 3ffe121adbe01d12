import Foundation
import Testing
import TributaryConfig
@testable import TributaryAlerting

@Suite struct RuleFileTests {
    func read(_ yaml: String) throws(ConfigError) -> [RuleGroup] {
        try RuleFile.read(try ConfigReader.parse(yaml, file: "rules.yaml", environment: [:]), path: "/etc/trib/rules.yaml", tenant: "acme",
                          defaultInterval: 60_000_000_000)
    }

    func failure(_ yaml: String) -> ConfigError? {
        do { _ = try read(yaml); return nil } catch { return error }
    }

    @Test func readsAlertingAndRecordingRulesInPrometheusFormat() throws {
        let groups = try read("""
            groups:
              - name: api
                interval: 30s
                labels: {team: shop}
                rules:
                  - record: job:errors:rate5m
                    expr: sum by (job) (rate(errors_total[5m]))
                    labels: {source: rules}
                  - alert: ManyErrors
                    expr: job:errors:rate5m > 0.5
                    for: 1m30s
                    keep_firing_for: 2m
                    labels: {severity: page}
                    annotations:
                      summary: "{{ $labels.job }} fails {{ $value | humanize }}/s"
                  - alert: TimeoutsInLogs
                    expr: sum by (app) (count_over_time({app="api"} |= "timeout" [5m])) > 10
            """)
        #expect(groups.count == 1)
        let group = try #require(groups.first)
        #expect(group.name == "api" && group.interval == 30_000_000_000 && group.tenant == "acme")
        #expect(group.key == "acme/rules.yaml/api")
        #expect(group.labels.map(\.name) == ["team"])
        #expect(group.rules.map(\.name) == ["job:errors:rate5m", "ManyErrors", "TimeoutsInLogs"])
        guard case .alerting(let alert) = group.rules[1] else { Issue.record("not an alerting rule"); return }
        #expect(alert.holdDuration == 90_000_000_000)
        #expect(alert.keepFiringFor == 120_000_000_000)
        #expect(alert.annotations.first?.value.render(TemplateData(labels: ["job": "api"], value: 1500)) == "api fails 1.5k/s")
        guard case .recording(let record) = group.rules[0] else { Issue.record("not a recording rule"); return }
        #expect(record.labels.map(\.value) == ["rules"])
    }

    @Test func groupsWithoutIntervalTakeTheDefaultAndLimitIsOptional() throws {
        let groups = try read("groups:\n  - name: a\n    rules: []\n  - name: b\n    limit: 10\n    rules: []\n")
        #expect(groups.first?.interval == 60_000_000_000)
        #expect(groups.map(\.limit) == [0, 10])
        #expect(failure("groups:\n  - name: a\n    limit: -1\n    rules: []\n")?.path == "groups[0].limit")
    }

    @Test func badExpressionsNameFileLineAndKey() throws {
        let error = try #require(failure("""
            groups:
              - name: api
                rules:
                  - alert: Broken
                    expr: sum(rate(x[5m])
            """))
        #expect(error.file == "rules.yaml")
        #expect(error.line == 5)
        #expect(error.path == "groups[0].rules[0].expr")
        #expect(error.description.hasPrefix("rules.yaml:5: groups[0].rules[0].expr:"))
    }

    @Test func logQueriesAndRangeVectorsAreRefusedAsRuleExpressions() throws {
        let logs = try #require(failure("groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: '{app=\"api\"} |= \"error\"'\n"))
        #expect(logs.path == "groups[0].rules[0].expr")
        #expect(logs.message.contains("is a log query"))
        let range = try #require(failure("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up[5m]\n"))
        #expect(range.message.contains("range vector"))
    }

    @Test func unsupportedTemplatesAreErrorsOfTheirKey() throws {
        let error = try #require(failure("""
            groups:
              - name: api
                rules:
                  - alert: X
                    expr: up == 0
                    annotations:
                      ok: "{{ $labels.job }}"
                      summary: "{{ if $value }}down{{ end }}"
            """))
        #expect(error.path == "groups[0].rules[0].annotations.summary")
        #expect(error.line == 8)
        #expect(error.message.contains("control structure \"if\""))
    }

    @Test func refusesMistakesWithTheKeyToFix() throws {
        #expect(failure("groups:\n  - name: a\n    rules:\n      - expr: up\n")?.message.contains("needs alert:") == true)
        #expect(failure("groups:\n  - name: a\n    rules:\n      - alert: A\n        record: b\n        expr: up\n")?.message.contains("not both") == true)
        #expect(failure("groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up\n        for: 5 minutes\n")?.path == "groups[0].rules[0].for")
        #expect(failure("groups:\n  - name: a\n    rules:\n      - record: 'bad name'\n        expr: up\n")?.path == "groups[0].rules[0].record")
        #expect(failure("groups:\n  - name: a\n    rules:\n      - record: b\n        expr: up\n        for: 1m\n")?.message.contains("only alerting rules") == true)
        #expect(failure("groups:\n  - name: a\n    interval: 0s\n    rules: []\n")?.path == "groups[0].interval")
        #expect(failure("groups:\n  - name: a\n    rules: []\n  - name: a\n    rules: []\n")?.message.contains("defined twice") == true)
        let typo = try #require(failure("groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up\n        anotations: {a: b}\n"))
        #expect(typo.message.contains("did you mean `annotations`"))
        #expect(typo.line == 6)
        #expect(failure("groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up\n        labels: {alertname: x}\n")?.path
                == "groups[0].rules[0].labels.alertname")
        #expect(failure("rules: []\n")?.message.contains("groups: is required") == true)
    }

    @Test func durationsFollowPrometheus() {
        #expect(PrometheusDuration.parse("1h30m") == 5_400_000_000_000)
        #expect(PrometheusDuration.parse("250ms") == 250_000_000)
        #expect(PrometheusDuration.parse("0") == 0)
        #expect(PrometheusDuration.parse("30m1h") == nil)
        #expect(PrometheusDuration.parse("1.5h") == nil)
        #expect(PrometheusDuration.parse("99999999999999y") == nil)
        #expect(PrometheusDuration.format(5_400_000_000_000) == "1h30m")
    }
}
