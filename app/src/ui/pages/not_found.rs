//! The Vietnamese 404 page: routing happens in the browser, so the app draws it itself.

use leptos::prelude::*;
use leptos_router::components::A;

/// Any path no route matches.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page not-found" data-testid="not-found">
            <h1>"Không tìm thấy trang"</h1>
            <p>"Địa chỉ này không có trong Tạo Nguồn. Có thể đường dẫn bị gõ sai hoặc trang đã được chuyển."</p>
            <p>
                <A href="/">"Về trang chủ"</A>
            </p>
        </section>
    }
}
