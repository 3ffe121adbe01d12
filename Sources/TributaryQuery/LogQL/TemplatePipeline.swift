/// `command | command | …`: each command's value is passed to the next
/// as its last argument. A command is a function name and its arguments,
/// or a single operand.
struct TemplatePipeline: Equatable {
    var commands: [[TemplateOperand]]
}
