// Durations as people write them (90m, 1h30m, 7d).
export { formatDuration, parseDuration } from '../durations.ts';
