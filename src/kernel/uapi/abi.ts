/*
 * abi.ts - the constants user space and the kernel agree on (Linux
 * include/uapi/: fcntl.h, stat.h, signal.h, termbits.h, ioctls.h, wait.h,
 * reboot.h, mman.h). User space may import kernel/uapi/ and nothing else of
 * the kernel, like a C program including <linux/...> headers.
 */

/* open flags (asm-generic/fcntl.h) */
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_ACCMODE = 0o3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;

export const AT_FDCWD = -100;
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

/* fcntl commands */
export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_DUPFD_CLOEXEC = 1030;
export const FD_CLOEXEC = 1;

/* file types and modes (stat.h) */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;
export const S_ISDIR = (m: number): boolean => (m & S_IFMT) === S_IFDIR;
export const S_ISREG = (m: number): boolean => (m & S_IFMT) === S_IFREG;
export const S_ISLNK = (m: number): boolean => (m & S_IFMT) === S_IFLNK;
export const S_ISCHR = (m: number): boolean => (m & S_IFMT) === S_IFCHR;
export const S_ISBLK = (m: number): boolean => (m & S_IFMT) === S_IFBLK;
export const S_ISFIFO = (m: number): boolean => (m & S_IFMT) === S_IFIFO;

/* access() modes */
export const F_OK = 0;
export const X_OK = 1;
export const W_OK = 2;
export const R_OK = 4;

/* signals (asm-generic/signal.h) */
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGSTKFLT = 16;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGVTALRM = 26;
export const SIGPROF = 27;
export const SIGWINCH = 28;
export const SIGIO = 29;
export const SIGPWR = 30;
export const SIGSYS = 31;
export const NSIG = 65;
export const signal_names: readonly string[] = [
  "",
  "HUP",
  "INT",
  "QUIT",
  "ILL",
  "TRAP",
  "ABRT",
  "BUS",
  "FPE",
  "KILL",
  "USR1",
  "SEGV",
  "USR2",
  "PIPE",
  "ALRM",
  "TERM",
  "STKFLT",
  "CHLD",
  "CONT",
  "STOP",
  "TSTP",
  "TTIN",
  "TTOU",
  "URG",
  "XCPU",
  "XFSZ",
  "VTALRM",
  "PROF",
  "WINCH",
  "IO",
  "PWR",
  "SYS",
];
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

/* wait (wait.h) */
export const WNOHANG = 1;
export const WUNTRACED = 2;
export const WCONTINUED = 8;
export const WIFEXITED = (s: number): boolean => (s & 0x7f) === 0;
export const WEXITSTATUS = (s: number): number => (s >> 8) & 0xff;
export const WIFSIGNALED = (s: number): boolean => (s & 0x7f) !== 0 && (s & 0x7f) !== 0x7f;
export const WTERMSIG = (s: number): number => s & 0x7f;
export const WCOREDUMP = (s: number): boolean => (s & 0x80) !== 0;
export const WIFSTOPPED = (s: number): boolean => (s & 0xff) === 0x7f;
export const WSTOPSIG = (s: number): number => (s >> 8) & 0xff;
export const WIFCONTINUED = (s: number): boolean => s === 0xffff;

/* termios (asm-generic/termbits.h) */
export const VINTR = 0;
export const VQUIT = 1;
export const VERASE = 2;
export const VKILL = 3;
export const VEOF = 4;
export const VTIME = 5;
export const VMIN = 6;
export const VSTART = 8;
export const VSTOP = 9;
export const VSUSP = 10;
export const VWERASE = 14;
export const NCCS = 19;
/* c_iflag */
export const IGNBRK = 0o1;
export const BRKINT = 0o2;
export const INLCR = 0o100;
export const IGNCR = 0o200;
export const ICRNL = 0o400;
export const IXON = 0o2000;
/* c_oflag */
export const OPOST = 0o1;
export const ONLCR = 0o4;
/* c_lflag */
export const ISIG = 0o1;
export const ICANON = 0o2;
export const ECHO = 0o10;
export const ECHOE = 0o20;
export const ECHOK = 0o40;
export const ECHONL = 0o100;
export const NOFLSH = 0o200;
export const TOSTOP = 0o400;
export const ECHOCTL = 0o1000;
export const ECHOKE = 0o4000;
export const IEXTEN = 0o100000;

export interface Termios {
  c_iflag: number;
  c_oflag: number;
  c_cflag: number;
  c_lflag: number;
  c_cc: number[];
}

export interface Winsize {
  ws_row: number;
  ws_col: number;
}

/* block device ioctls (include/uapi/linux/fs.h; the _IOR/_IOW ones with a 4-byte size_t) */
export const BLKROSET = 0x125d;
export const BLKROGET = 0x125e;
export const BLKRRPART = 0x125f;
export const BLKGETSIZE = 0x1260;
export const BLKFLSBUF = 0x1261;
export const BLKRASET = 0x1262;
export const BLKRAGET = 0x1263;
export const BLKSSZGET = 0x1268;
export const BLKBSZGET = 0x80041270;
export const BLKBSZSET = 0x40041271;
export const BLKGETSIZE64 = 0x80041272;

/* ioctl requests */
export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TCSETSW = 0x5403;
export const TCSETSF = 0x5404;
export const TIOCSCTTY = 0x540e;
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const TIOCNOTTY = 0x5422;
export const FIONREAD = 0x541b;
/**
 * mmbox's own console ioctl: returns 1 when the console is a transcript
 * (plain mode without --echo), where an interactive shell prints no prompt;
 * 0 on every other tty.
 */
export const MMBOX_TIOCGTRANSCRIPT = 0x4d4d01;

/* reboot(2) commands */
export const LINUX_REBOOT_CMD_RESTART = 0x01234567;
export const LINUX_REBOOT_CMD_HALT = 0xcdef0123;
export const LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc;

/* syslog(2) actions (dmesg, /proc/kmsg) */
export const SYSLOG_ACTION_CLOSE = 0;
export const SYSLOG_ACTION_OPEN = 1;
export const SYSLOG_ACTION_READ = 2;
export const SYSLOG_ACTION_READ_ALL = 3;
export const SYSLOG_ACTION_READ_CLEAR = 4;
export const SYSLOG_ACTION_CLEAR = 5;
export const SYSLOG_ACTION_CONSOLE_OFF = 6;
export const SYSLOG_ACTION_CONSOLE_ON = 7;
export const SYSLOG_ACTION_CONSOLE_LEVEL = 8;
export const SYSLOG_ACTION_SIZE_UNREAD = 9;
export const SYSLOG_ACTION_SIZE_BUFFER = 10;

/* mount flags */
export const MS_RDONLY = 1;
export const MS_NOSUID = 2;
export const MS_NODEV = 4;
export const MS_NOEXEC = 8;
export const MS_REMOUNT = 32;
/** Probing (the root mount tries each type): no "can't find" messages. */
export const MS_SILENT = 32768;
export const MNT_FORCE = 1;
export const MNT_DETACH = 2;

/* clocks */
export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;

/* fallocate(2) modes (include/uapi/linux/falloc.h). */
/** Do not change the file's size, even when allocating past its end. */
export const FALLOC_FL_KEEP_SIZE = 0x01;
/** Deallocate the range (needs KEEP_SIZE): reads of it return zeroes. */
export const FALLOC_FL_PUNCH_HOLE = 0x02;
export const FALLOC_FL_NO_HIDE_STALE = 0x04;
export const FALLOC_FL_COLLAPSE_RANGE = 0x08;
export const FALLOC_FL_ZERO_RANGE = 0x10;
export const FALLOC_FL_INSERT_RANGE = 0x20;
export const FALLOC_FL_UNSHARE_RANGE = 0x40;
/** FALLOC_FL_SUPPORTED_MASK of fs/open.c: the modes any filesystem may know. */
export const FALLOC_FL_SUPPORTED_MASK =
  FALLOC_FL_KEEP_SIZE |
  FALLOC_FL_PUNCH_HOLE |
  FALLOC_FL_COLLAPSE_RANGE |
  FALLOC_FL_ZERO_RANGE |
  FALLOC_FL_INSERT_RANGE |
  FALLOC_FL_UNSHARE_RANGE;

/* prctl options (include/uapi/linux/prctl.h) */
/** Set the task's name (comm): 15 bytes and a NUL, as TASK_COMM_LEN is 16. */
export const PR_SET_NAME = 15;
/** Get the task's name. */
export const PR_GET_NAME = 16;
