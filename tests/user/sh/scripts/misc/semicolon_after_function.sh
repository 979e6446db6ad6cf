f() { echo f; }; f
