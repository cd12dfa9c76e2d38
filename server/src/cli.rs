//! The command line of the `tao-nguon` binary.

use std::sync::Arc;

use clap::{Parser, Subcommand};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, ConfigError, LogFormat};
use crate::db::{self, DbOpenError};
use crate::seed;
use crate::shell::{Assets, AssetsError};
use crate::state::AppState;

/// Tạo Nguồn — máy chủ kế hoạch tạo nguồn phát triển đảng viên.
///
/// Cấu hình đọc từ biến môi trường (xem README): DATABASE_URL, TAONGUON_LISTEN, …
#[derive(Debug, Parser)]
#[command(name = "tao-nguon", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Nâng cấp lược đồ cơ sở dữ liệu rồi phục vụ ứng dụng (mặc định).
    Serve,
    /// Chỉ nâng cấp lược đồ cơ sở dữ liệu rồi thoát.
    Migrate,
    /// Nạp dữ liệu mẫu huyện Bảo Lâm và tài khoản demo (chạy lại không tạo trùng).
    SeedDemo,
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
}

/// Runs one command.
///
/// # Errors
/// [`CliError`] describing, in Vietnamese, what stopped the command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let config = Config::from_env()?;
    init_tracing(&config);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = db::connect(&config.database_url, &config.database_url_redacted()).await?;
            db::migrate(&db).await?;
            println!(
                "Đã nâng cấp lược đồ cơ sở dữ liệu ({}).",
                config.database_url_redacted()
            );
            Ok(())
        }
        Command::SeedDemo => {
            let db = db::connect(&config.database_url, &config.database_url_redacted()).await?;
            db::migrate(&db).await?;
            let report = seed::seed_demo(&db).await.map_err(CliError::Seed)?;
            print_seed_report(&report);
            Ok(())
        }
    }
}

fn print_seed_report(report: &seed::SeedReport) {
    println!(
        "Dữ liệu mẫu huyện Bảo Lâm: thêm {} đơn vị, {} tài khoản (đã có thì giữ nguyên).",
        report.units_created, report.users_created
    );
    println!("Tài khoản demo (mật khẩu chung: {}):", seed::DEMO_PASSWORD);
    for login in &report.logins {
        match &login.unit_name {
            Some(unit) => println!("  {:<16} {} — {}", login.username, login.role.label(), unit),
            None => println!("  {:<16} {}", login.username, login.role.label()),
        }
    }
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
    let state = AppState {
        db,
        config: Arc::new(config),
        assets: Arc::new(assets),
    };
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| CliError::Bind {
            addr: listen,
            source,
        })?;
    let shown = listener.local_addr().unwrap_or(listen);
    tracing::info!(address = %shown, "Tạo Nguồn đang chạy tại http://{shown}");
    axum::serve(listener, crate::app(state))
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
