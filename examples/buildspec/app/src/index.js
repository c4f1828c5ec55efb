export { formatDuration, parseDuration } from './duration.js';
export { slugify } from './slugify.js';
