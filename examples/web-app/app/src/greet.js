/**
 * A greeting for the page's visitor.
 *
 * @param {string} name who to greet; blank or missing greets the world
 * @returns {string}
 */
export function greet(name) {
  const who = typeof name === 'string' ? name.trim() : '';
  return `Hello, ${who === '' ? 'world' : who}!`;
}
