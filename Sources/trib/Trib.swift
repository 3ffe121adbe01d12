import ArgumentParser

@main
struct Trib: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trib", abstract: "Tributary")
    func run() throws {}
}
