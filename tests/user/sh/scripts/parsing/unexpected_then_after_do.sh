while true; then echo x; done
