umask 077
umask
umask 022
umask
