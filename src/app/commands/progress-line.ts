/** A one-line progress bar on stderr: bytes read of the file, and rows handled (redrawn on a terminal, every 10% otherwise). */
export function progressLine(total: number, label = 'import') {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let read = 0;
  let rows = 0;
  let lastTenth = -1;
  const draw = () => {
    const fraction = total === 0 ? 1 : Math.min(1, read / total);
    const seconds = (Date.now() - started) / 1000;
    const bar = '#'.repeat(Math.round(fraction * 30)).padEnd(30, '.');
    const line = `${label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${rows.toLocaleString('en')} rows ${seconds > 0 ? Math.round(rows / seconds).toLocaleString('en') : 0}/s`;
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (Math.floor(fraction * 10) !== lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      process.stderr.write(line + '\n');
    }
  };
  return {
    bytes(n: number) {
      read += n;
    },
    rows(n: number) {
      rows = n;
      draw();
    },
    end() {
      read = total;
      draw();
      if (tty) process.stderr.write('\n');
    },
  };
}
