fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(imgctl::main_entry())
}
