/*
 * serial.ts - the console UART's interrupts (Linux
 * drivers/tty/serial/8250/8250_port.c serial8250_handle_irq, and
 * drivers/tty/serial/amba-pl011.c pl011_int), as the UARTs QEMU emulates
 * behave.
 *
 *   16550A (pc, ttyS0)  receive: QEMU fills the 16-byte FIFO from what was
 *       typed and raises the interrupt; the handler drains it - one
 *       interrupt per 16 bytes of a burst. Transmit: start_tx enables the
 *       "transmitter empty" interrupt, and each one refills the FIFO with up
 *       to 16 bytes (tx_loadsz) until the buffer is empty - one interrupt
 *       per 16 bytes written.
 *   PL011 (ARM, ttyAMA0)  receive: QEMU hands the UART one byte at a time
 *       and it interrupts at the first byte in its FIFO - one interrupt per
 *       byte. Transmit: pl011_start_tx writes until the FIFO is full, which
 *       QEMU's never is, so the transmit interrupt is never unmasked.
 *
 * The tty layer calls transmit() for what it writes to the screen and
 * receive() for what the front end types (drivers/tty.ts); the port counts
 * the bytes (uport->icount, /proc/tty/driver/*). Console output from printk
 * goes straight to the UART (the console's write), uncounted, as Linux's.
 *
 * Modem lines: the console port has DTR from uart_set_options, and RTS
 * with it once the tty is opened (uart_port_startup). What the UART reads
 * back (get_mctrl) is QEMU's: its 16550 reports CTS, DSR and DCD (the
 * modem status register it resets to, with no host line to poll), its
 * PL011 no modem status at all.
 */

import { generic_handle_irq, type IrqDesc } from "../irq/irqdesc.js";
import type { Kernel } from "../kernel.js";

/** The 16550A's FIFO depth (and tx_loadsz). */
const UART_FIFO = 16;

/* TIOCM_* modem lines (include/uapi/asm-generic/termios.h) */
export const TIOCM_DTR = 0x002;
export const TIOCM_RTS = 0x004;
export const TIOCM_CTS = 0x020;
export const TIOCM_CAR = 0x040;
export const TIOCM_RNG = 0x080;
export const TIOCM_DSR = 0x100;

export class UartPort {
  /** uport->icount: bytes sent and received through the tty. */
  readonly icount = { tx: 0, rx: 0 };
  /** uport->mctrl: the modem lines the driver drives (DTR as the console set it up). */
  mctrl = TIOCM_DTR;
  constructor(
    private readonly k: Kernel,
    private readonly irq: IrqDesc,
    /** An 8250 (else a PL011). */
    private readonly is_8250: boolean,
  ) {}

  /** n bytes written to the port. */
  transmit(n: number): void {
    if (n > 0) this.icount.tx += n;
    if (!this.is_8250 || n <= 0) return;
    const irqs = Math.ceil(n / UART_FIFO);
    for (let i = 0; i < irqs; i++) generic_handle_irq(this.k, this.irq);
  }

  /** A burst of n bytes arrived at the port. */
  receive(n: number): void {
    this.icount.rx += n;
    const irqs = this.is_8250 ? Math.ceil(n / UART_FIFO) : n;
    for (let i = 0; i < irqs; i++) generic_handle_irq(this.k, this.irq);
  }

  /** uart_port_startup at the tty's first open: raise DTR and RTS (uart_port_dtr_rts). */
  startup(): void {
    this.mctrl |= TIOCM_DTR | TIOCM_RTS;
  }

  /** get_mctrl: the modem status lines the UART reads (serial8250_get_mctrl, pl011_get_mctrl). */
  get_mctrl(): number {
    return this.is_8250 ? TIOCM_CTS | TIOCM_DSR | TIOCM_CAR : 0;
  }
}
