//! The pages of the frame. The unit's plan editor and the district screens grow here.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Kế hoạch tạo nguồn phát triển đảng viên"</h1>
            <p>
                "Các tổ chức cơ sở đảng lập kế hoạch tạo nguồn: chỉ tiêu kết nạp hằng năm và cả nhiệm kỳ, "
                "cơ cấu, nguồn quần chúng ưu tú, phân bổ cho từng chi bộ trực thuộc; Ban Tổ chức Huyện ủy "
                "theo dõi, duyệt và tổng hợp."
            </p>
            <ul class="entry-points">
                <li>
                    <A href="/ke-hoach">"Kế hoạch của đơn vị"</A>
                    " — lập và gửi kế hoạch, kể cả khi mất mạng."
                </li>
                <li>
                    <A href="/tong-hop">"Tổng hợp của huyện"</A>
                    " — theo dõi tình hình nộp, duyệt và tổng hợp số liệu."
                </li>
            </ul>
        </section>
    }
}

#[component]
pub fn UnitPlanPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Kế hoạch của đơn vị"</h1>
            <p>"Nơi đơn vị lập kế hoạch tạo nguồn cho nhiệm kỳ và từng năm."</p>
        </section>
    }
}

#[component]
pub fn DistrictPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Tổng hợp của huyện"</h1>
            <p>"Nơi Ban Tổ chức Huyện ủy theo dõi các đơn vị đã nộp, duyệt và tổng hợp số liệu."</p>
        </section>
    }
}

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
