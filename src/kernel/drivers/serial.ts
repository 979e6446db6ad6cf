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
 * receive() for what the front end types (drivers/tty.ts).
 */

import { generic_handle_irq, type IrqDesc } from "../irq/irqdesc.js";
import type { Kernel } from "../kernel.js";

/** The 16550A's FIFO depth (and tx_loadsz). */
const UART_FIFO = 16;

export class UartPort {
  constructor(
    private readonly k: Kernel,
    private readonly irq: IrqDesc,
    /** An 8250 (else a PL011). */
    private readonly is_8250: boolean,
  ) {}

  /** n bytes written to the port. */
  transmit(n: number): void {
    if (!this.is_8250 || n <= 0) return;
    const irqs = Math.ceil(n / UART_FIFO);
    for (let i = 0; i < irqs; i++) generic_handle_irq(this.k, this.irq);
  }

  /** A burst of n bytes arrived at the port. */
  receive(n: number): void {
    const irqs = this.is_8250 ? Math.ceil(n / UART_FIFO) : n;
    for (let i = 0; i < irqs; i++) generic_handle_irq(this.k, this.irq);
  }
}
