{ echo x
