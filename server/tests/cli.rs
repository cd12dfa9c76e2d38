//! The `tao-nguon` binary's command line: configuration errors, migrations, the demo seed and
//! the administration commands, run as a user would run them.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run(dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tao-nguon"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("cli.db").display()),
        )
        .env("TAONGUON_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start tao-nguon");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for tao-nguon")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_the_commands_in_vietnamese() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run(dir.path(), &["--help"], "", &[]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for command in [
        "serve",
        "migrate",
        "seed-demo",
        "create-user",
        "reset-password",
        "import-units",
    ] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
    assert!(help.contains("Nạp dữ liệu mẫu"));
}

#[test]
fn an_invalid_variable_stops_the_server_with_its_name() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run(
        dir.path(),
        &["serve"],
        "",
        &[("TAONGUON_LISTEN", "khong-phai-dia-chi")],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("TAONGUON_LISTEN") && err.contains("khong-phai-dia-chi"),
        "{err}"
    );
}

#[test]
fn serving_without_a_built_client_says_how_to_build_it() {
    let dir = tempfile::tempdir().expect("dir");
    let site = dir.path().join("no-site");
    let out = run(
        dir.path(),
        &["serve"],
        "",
        &[("TAONGUON_SITE_DIR", site.to_str().unwrap_or_default())],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("scripts/build-client.sh"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn migrate_then_seed_prints_the_demo_logins_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run(dir.path(), &["migrate"], "", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first = run(dir.path(), &["seed-demo"], "", &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let printed = text(&first.stdout);
    assert!(
        printed.contains("bantochuc") && printed.contains("taonguon2022"),
        "{printed}"
    );
    assert!(printed.contains("Đảng bộ xã B'Lá"));
    assert!(printed.contains("Đã mở đợt đăng ký mẫu"), "{printed}");
    let second = run(dir.path(), &["seed-demo"], "", &[]);
    let again = text(&second.stdout);
    assert!(again.contains("thêm 0 đơn vị, 0 tài khoản"), "{again}");
    assert!(!again.contains("Đã mở đợt đăng ký mẫu"), "{again}");
}

#[test]
fn accounts_and_units_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("units.csv");
    std::fs::write(
        &csv,
        "code,name,level,kind,parent_code,member_count\n\
         HU-T,Đảng bộ huyện Thử,district,,,900\n\
         XA-T,Đảng bộ xã Thử,grassroots,commune,HU-T,120\n",
    )
    .expect("csv");
    let out = run(
        dir.path(),
        &["import-units", csv.to_str().unwrap_or_default()],
        "",
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("thêm 2"),
        "{}",
        text(&out.stdout)
    );

    let create = [
        "create-user",
        "--username",
        "xa-thu",
        "--display-name",
        "Đảng ủy xã Thử",
        "--role",
        "unit_editor",
        "--unit-code",
        "XA-T",
    ];
    let out = run(dir.path(), &create, "mat-khau-tot\n", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let again = run(dir.path(), &create, "mat-khau-tot\n", &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("đã có người dùng"),
        "{}",
        text(&again.stderr)
    );

    let short = run(
        dir.path(),
        &["reset-password", "--username", "xa-thu"],
        "ngan\n",
        &[],
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(
        text(&short.stderr).contains("ít nhất 8"),
        "{}",
        text(&short.stderr)
    );
    let ok = run(
        dir.path(),
        &["reset-password", "--username", "xa-thu"],
        "mat-khau-moi\n",
        &[],
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));

    let bad_role = run(
        dir.path(),
        &[
            "create-user",
            "--username",
            "x1",
            "--display-name",
            "X",
            "--role",
            "king",
        ],
        "mat-khau-tot\n",
        &[],
    );
    assert!(text(&bad_role.stderr).contains("king"));
    let bad_csv = dir.path().join("bad.csv");
    std::fs::write(&bad_csv, "code,name,level\nXA-Z,Xã Z,village\n").expect("csv");
    let out = run(
        dir.path(),
        &["import-units", bad_csv.to_str().unwrap_or_default()],
        "",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("dòng 2"),
        "{}",
        text(&out.stderr)
    );
}
