// The page's script: greets the visitor named in the URL (?name=Ada).
const name = new URLSearchParams(globalThis.location?.search ?? '').get('name');
const heading = globalThis.document?.getElementById('greeting');
if (heading && name) heading.textContent = greet(name);
