// node-fetch 2 (Telegraf's HTTP client) takes whatwg-url's URL only when Node's `url` module has
// none (`Url.URL || whatwgUrl.URL`), which never happens on Node 20+. Bundling the real package
// costs its evaluation and tr46's Unicode tables on every cold start, and on Node 24 a
// DEP0040 warning (tr46 loads `punycode`); this gives node-fetch the same URL class.
export { URL, URLSearchParams } from 'node:url';
