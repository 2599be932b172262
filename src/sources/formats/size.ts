const KB = 1024;
const MB = 1024 * KB;

/** "2 MB", "2.1 MB", "512 KB", "900 bytes": one decimal at most, so limits read naturally. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${trimDecimal(bytes / MB)} MB`;
  if (bytes >= KB) return `${trimDecimal(bytes / KB)} KB`;
  return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** Why a source of `size` bytes is refused: "2.1 MB is over the 2 MB limit (MAX_SOURCE_BYTES)". */
export function overLimitReason(size: number, limit: number): string {
  return `${formatOverLimit(size, limit)} is over the ${formatBytes(limit)} limit (MAX_SOURCE_BYTES)`;
}

/**
 * Describes `size` next to `limit` so the two never print the same
 * (2 MB + 1 byte would otherwise read "2 MB is over the 2 MB limit").
 */
function formatOverLimit(size: number, limit: number): string {
  const rounded = formatBytes(size);
  return rounded === formatBytes(limit) ? `${size.toLocaleString('en-US')} bytes` : rounded;
}

function trimDecimal(value: number): string {
  return (Math.floor(value * 10) / 10).toFixed(1).replace(/\.0$/, '');
}
