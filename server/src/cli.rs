//! The command line of the `tao-nguon` binary.

use clap::{Parser, Subcommand};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, ConfigError, LogFormat};
use crate::seed;
use crate::shell::{Assets, AssetsError};
use crate::state::AppState;
use crate::store::db::{self, DbOpenError};

/// Tạo Nguồn — máy chủ kế hoạch tạo nguồn phát triển đảng viên.
///
/// Cấu hình đọc từ biến môi trường (xem README): DATABASE_URL, TAONGUON_LISTEN, …
#[derive(Debug, Parser)]
#[command(name = "tao-nguon", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Which demo `seed-demo` loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoShape {
    /// The 2022 district of letter 381-CV/HU.
    #[value(name = "2022")]
    Y2022,
    /// The 2025 province → commune structure.
    #[value(name = "2025")]
    Y2025,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Nâng cấp lược đồ cơ sở dữ liệu rồi phục vụ ứng dụng (mặc định).
    Serve,
    /// Chỉ nâng cấp lược đồ cơ sở dữ liệu rồi thoát.
    Migrate,
    /// Nạp dữ liệu mẫu và tài khoản demo (chạy lại không tạo trùng).
    SeedDemo {
        /// 2022: huyện Bảo Lâm và Công văn 381-CV/HU (mặc định); 2025: Tỉnh ủy Lâm Đồng, các
        /// xã Bảo Lâm 1–5 và hai đảng bộ khối, nhiệm kỳ 2025–2030 (không còn cấp huyện).
        #[arg(long, value_enum, default_value_t = DemoShape::Y2022)]
        shape: DemoShape,
    },
    /// Tạo tài khoản; mật khẩu đọc từ dòng đầu của đầu vào chuẩn (stdin).
    CreateUser {
        /// Tên đăng nhập (chữ thường không dấu, số, . _ -).
        #[arg(long)]
        username: String,
        /// Tên hiển thị, ví dụ "Đảng bộ xã Lộc An".
        #[arg(long)]
        display_name: String,
        /// Một hay nhiều vai trò, cách nhau bằng dấu phẩy: unit_editor (lập kế hoạch của đơn
        /// vị), district_reviewer (thẩm định kế hoạch của cấp dưới), administrator (quản trị).
        #[arg(long)]
        role: String,
        /// Mã đơn vị (cột code), bắt buộc trừ với chỉ administrator.
        #[arg(long)]
        unit_code: Option<String>,
    },
    /// Đặt lại mật khẩu (đọc từ stdin) và đăng xuất mọi phiên của tài khoản.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// Nhập đơn vị từ tệp CSV: code,name,committee,kind,parent_code,member_count,office_name
    /// (tệp cũ có cột level thay cho committee vẫn đọc được).
    ImportUnits {
        /// Đường dẫn tệp CSV (UTF-8, có dòng tiêu đề).
        file: std::path::PathBuf,
    },
    /// In tài liệu OpenAPI của API (JSON, sinh từ mã nguồn) ra đầu ra chuẩn.
    Openapi,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Database(#[from] DbOpenError),
    #[error(transparent)]
    Assets(#[from] AssetsError),
    #[error("không nạp được dữ liệu mẫu: {0}")]
    Seed(sea_orm::DbErr),
    #[error("không mở được cổng {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("máy chủ dừng vì lỗi: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error("không viết được tài liệu OpenAPI: {0}")]
    Document(serde_json::Error),
}

impl From<crate::accounts::AccountError> for CliError {
    fn from(err: crate::accounts::AccountError) -> Self {
        use crate::accounts::AccountError;
        let text = match &err {
            AccountError::Invalid { message, fields } => {
                let mut text = message.clone();
                for f in fields {
                    text.push_str(&format!("\n  {}: {}", f.field, f.message));
                }
                text
            }
            AccountError::UsernameTaken(message) => message.clone(),
            AccountError::NotFound => "Không có tài khoản này.".to_owned(),
            AccountError::Db(e) => format!("Lỗi cơ sở dữ liệu ({e})."),
            AccountError::Hash(e) => format!("Không băm được mật khẩu ({e})."),
        };
        CliError::Usage(text)
    }
}

/// Runs one command.
///
/// # Errors
/// [`CliError`] describing, in Vietnamese, what stopped the command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    // The document needs no configuration or database: it describes the code.
    if matches!(cli.command, Some(Command::Openapi)) {
        let text = crate::http::routes::document()
            .to_pretty_json()
            .map_err(CliError::Document)?;
        println!("{text}");
        return Ok(());
    }
    let config = Config::from_env()?;
    init_tracing(&config);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            open(&config).await?;
            println!(
                "Đã nâng cấp lược đồ cơ sở dữ liệu ({}).",
                config.database_url_redacted()
            );
            Ok(())
        }
        Command::SeedDemo {
            shape: DemoShape::Y2025,
        } => {
            let db = open(&config).await?;
            let report = crate::seed_2025::seed(&db).await.map_err(CliError::Seed)?;
            println!(
                "Dữ liệu mẫu năm 2025 (Tỉnh ủy Lâm Đồng, các xã Bảo Lâm 1–5, hai đảng bộ khối; thành phần chỉ để minh họa): thêm {} đơn vị, {} tài khoản (đã có thì giữ nguyên).",
                report.units_created, report.users_created
            );
            print_logins(&report);
            println!(
                "Đã mở (nếu chưa có) đợt đăng ký của Tỉnh ủy cho nhiệm kỳ 2025–2030 và đợt của xã Bảo Lâm 1, Bảo Lâm 5 cho các chi bộ."
            );
            Ok(())
        }
        Command::SeedDemo {
            shape: DemoShape::Y2022,
        } => {
            let db = open(&config).await?;
            let report = seed::seed_demo(&db).await.map_err(CliError::Seed)?;
            let campaign_created = seed::seed_demo_campaign(&db)
                .await
                .map_err(CliError::Seed)?;
            print_seed_report(&report);
            if campaign_created {
                println!("Đã mở đợt đăng ký mẫu theo Công văn 381-CV/HU, hạn nộp sau 45 ngày.");
            }
            Ok(())
        }
        Command::CreateUser {
            username,
            display_name,
            role,
            unit_code,
        } => {
            let roles = app::domain::Roles::from_codes(&role).ok_or_else(|| {
                CliError::Usage(format!("vai trò «{role}» không có; dùng unit_editor, district_reviewer hoặc administrator (có thể nhiều, cách nhau bằng dấu phẩy)"))
            })?;
            let db = open(&config).await?;
            let unit_id = match unit_code {
                None => None,
                Some(code) => Some(
                    crate::store::entities::org_unit::Entity::find()
                        .filter(crate::store::entities::org_unit::Column::Code.eq(&code))
                        .one(&db)
                        .await
                        .map_err(CliError::Seed)?
                        .ok_or_else(|| CliError::Usage(format!("không có đơn vị mã «{code}»")))?
                        .id,
                ),
            };
            let password = read_password()?;
            let user = crate::accounts::create_user(
                &db,
                crate::accounts::NewUser {
                    username,
                    display_name,
                    roles: roles.iter().collect(),
                    role: None,
                    unit_id,
                    password,
                },
            )
            .await?;
            let labels: Vec<&str> = roles.iter().map(|r| r.label()).collect();
            println!(
                "Đã tạo tài khoản «{}» ({}).",
                user.username,
                labels.join(", ")
            );
            Ok(())
        }
        Command::ResetPassword { username } => {
            let db = open(&config).await?;
            let user = crate::store::entities::user_account::Entity::find()
                .filter(
                    crate::store::entities::user_account::Column::Username
                        .eq(username.trim().to_lowercase()),
                )
                .one(&db)
                .await
                .map_err(CliError::Seed)?
                .ok_or_else(|| CliError::Usage(format!("không có tài khoản «{username}»")))?;
            let password = read_password()?;
            crate::accounts::reset_password(&db, user.id, password).await?;
            println!(
                "Đã đặt lại mật khẩu của «{}»; mọi phiên đăng nhập cũ đã kết thúc.",
                user.username
            );
            Ok(())
        }
        Command::Openapi => Ok(()),
        Command::ImportUnits { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| CliError::Usage(format!("không đọc được {}: {e}", file.display())))?;
            let db = open(&config).await?;
            let report = crate::import::import_units(&db, &text).await?;
            println!(
                "Đã nhập đơn vị: thêm {}, cập nhật {}, giữ nguyên {}.",
                report.created, report.updated, report.unchanged
            );
            Ok(())
        }
    }
}

async fn open(config: &Config) -> Result<sea_orm::DatabaseConnection, CliError> {
    let db = db::connect(&config.database_url, &config.database_url_redacted()).await?;
    db::migrate(&db).await?;
    Ok(db)
}

/// The first line of standard input: `echo "mật khẩu" | tao-nguon create-user …`.
fn read_password() -> Result<String, CliError> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!(
            "Mật khẩu (ít nhất {} ký tự): ",
            crate::accounts::MIN_PASSWORD
        );
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError::Usage(format!("không đọc được mật khẩu từ stdin: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn print_seed_report(report: &seed::SeedReport) {
    println!(
        "Dữ liệu mẫu huyện Bảo Lâm: thêm {} đơn vị, {} tài khoản (đã có thì giữ nguyên).",
        report.units_created, report.users_created
    );
    print_logins(report);
}

fn print_logins(report: &seed::SeedReport) {
    println!("Tài khoản demo (mật khẩu chung: {}):", seed::DEMO_PASSWORD);
    for login in &report.logins {
        match &login.unit_name {
            Some(unit) => println!(
                "  {:<18} {} — {unit}",
                login.username,
                roles_label(&login.roles)
            ),
            None => println!("  {:<18} {}", login.username, roles_label(&login.roles)),
        }
    }
}

/// "Lập kế hoạch của đơn vị, Thẩm định kế hoạch của cấp dưới".
fn roles_label(roles: &app::domain::Roles) -> String {
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn serve(config: Config) -> Result<(), CliError> {
    if config.session_secret.is_generated() {
        tracing::warn!(
            "TAONGUON_SESSION_SECRET chưa đặt: dùng khóa ngẫu nhiên, phiên đăng nhập mất khi khởi động lại"
        );
    }
    let assets = Assets::load(&config.site_dir)?;
    let db = db::connect(&config.database_url, &config.database_url_redacted()).await?;
    db::migrate(&db).await?;
    tracing::info!(database = %config.database_url_redacted(), "cơ sở dữ liệu sẵn sàng");

    // leptos_axum renders the shell outside `.leptos_routes(...)`, which is what normally
    // initialises Leptos' executor; without this the first render panics.
    let _ = any_spawner::Executor::init_tokio();

    let listen = config.listen;
    let read = db::connect_read(&config.database_url, &config.database_url_redacted(), &db).await?;
    let state = AppState::new(db, read, config, assets);
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| CliError::Bind {
            addr: listen,
            source,
        })?;
    let shown = listener.local_addr().unwrap_or(listen);
    tracing::info!(address = %shown, "Tạo Nguồn đang chạy tại http://{shown}");
    let app = crate::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(CliError::Serve)?;
    tracing::info!("đã dừng máy chủ");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "không nghe được Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "không nghe được SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("nhận tín hiệu dừng: chờ các yêu cầu đang xử lý hoàn tất");
}

fn init_tracing(config: &Config) {
    // `Config::from_env` has already checked that the filter parses.
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let result = match config.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    // A second initialisation (tests) is harmless: keep the first subscriber.
    let _ = result;
}
