echo $'not\tspecial' 2>/dev/null || echo unsupported
