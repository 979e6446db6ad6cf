while true; do
