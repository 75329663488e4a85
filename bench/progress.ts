/** A one-line progress bar on stderr (redrawn in place on a terminal, a line per 10% otherwise). */
export function progressBar(label: string, total: number) {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let done = 0;
  let lastTenth = -1;
  const draw = () => {
    const fraction = total === 0 ? 1 : done / total;
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line =
      `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
      `${done.toLocaleString('en')}/${total.toLocaleString('en')} ${Math.round(rate).toLocaleString('en')}/s ETA ${eta}s`;
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (Math.floor(fraction * 10) !== lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      process.stderr.write(line + '\n');
    }
  };
  return {
    tick(n: number) {
      done += n;
      draw();
    },
    done() {
      done = total;
      draw();
      if (tty) process.stderr.write('\n');
    },
  };
}
