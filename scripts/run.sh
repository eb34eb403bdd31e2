#!/usr/bin/env bash
# Set up, then serve the app for trying it out: SQLite under var/ (unless DATABASE_URL is
# set), the 2023 plan and demo accounts loaded, DEBUG on, http://127.0.0.1:8000.
#
# Environment: HOST (127.0.0.1), PORT (8000), DEMO_PASSWORD, DATABASE_URL, and every
# variable of .env.example.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh

if [[ -f .env ]]; then
    set -a
    # shellcheck disable=SC1091
    . ./.env
    set +a
fi
export DEBUG=1  # the development server, always; production runs gunicorn
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
PY=.venv/bin/python

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "Cập nhật cơ sở dữ liệu (migrate)"
$PY manage.py migrate --noinput -v 0

has_plan=$($PY manage.py shell -v 0 -c \
    "from plans.models import InspectionPlan; print(int(InspectionPlan.objects.exists()))")
if [[ "$has_plan" == 0 ]]; then
    if compgen -G "fixtures/thanh_hoa_2023.*" >/dev/null; then
        say "Nạp dữ liệu gốc: Kế hoạch kiểm tra CCHC năm 2023 (thanh_hoa_2023)"
        $PY manage.py loaddata thanh_hoa_2023
    else
        printf '!!  Chưa có tệp fixtures/thanh_hoa_2023.*; bỏ qua bước nạp dữ liệu gốc.\n' >&2
    fi
fi

say "Tạo tài khoản thử nghiệm"
$PY manage.py create_demo_users

if $PY manage.py help load_demo_data >/dev/null 2>&1; then
    say "Nạp dữ liệu minh họa (load_demo_data)"
    $PY manage.py load_demo_data
fi

cat <<EOF

  Đăng nhập tại:  $SITE_URL/dang-nhap/
  Trang quản trị: $SITE_URL/quan-tri/  (tài khoản quantri)
  Dừng máy chủ:   Ctrl+C

EOF
exec $PY manage.py runserver "$HOST:$PORT"
