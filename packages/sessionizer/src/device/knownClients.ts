// Clients the User-Agent parser (bowser) leaves nameless or calls browsers: HTTP libraries, CLIs
// and crawlers. Library UAs open with their product token ("curl/8.5.0"), so a map lookup on that
// token finds them; crawlers hide theirs inside a browser-like UA, so two linear patterns do.

export interface KnownClient {
  family: string;
  type: 'library' | 'bot';
}

const library = (family: string): KnownClient => ({ family, type: 'library' });
const bot = (family: string): KnownClient => ({ family, type: 'bot' });

/** Keyed by the lower-case leading product token of the User-Agent. */
export const KNOWN_CLIENTS: ReadonlyMap<string, KnownClient> = new Map<string, KnownClient>([
  ['curl', library('curl')],
  ['wget', library('Wget')],
  ['httpie', library('HTTPie')],
  ['python-requests', library('python-requests')],
  ['python-urllib3', library('python-urllib3')],
  ['python-urllib', library('Python-urllib')],
  ['python-httpx', library('python-httpx')],
  // aiohttp sends "Python/3.x aiohttp/3.y".
  ['python', library('Python')],
  ['go-http-client', library('Go-http-client')],
  ['okhttp', library('okhttp')],
  // Android's built-in HttpURLConnection.
  ['dalvik', library('Dalvik')],
  ['axios', library('axios')],
  ['node-fetch', library('node-fetch')],
  ['undici', library('undici')],
  // Node's global fetch sends "node".
  ['node', library('node')],
  ['got', library('got')],
  ['java-http-client', library('Java-http-client')],
  ['java', library('Java')],
  ['apache-httpclient', library('Apache-HttpClient')],
  ['postmanruntime', library('PostmanRuntime')],
  ['insomnia', library('insomnia')],
  ['guzzlehttp', library('GuzzleHttp')],
  ['libwww-perl', library('libwww-perl')],
  ['ruby', library('Ruby')],
  ['faraday', library('Faraday')],
  ['rest-client', library('rest-client')],
  ['dart', library('Dart')],
  ['k6', library('k6')],
  ['apachebench', library('ApacheBench')],
  ['scrapy', bot('Scrapy')],
]);

/** Browsers driven by a program: automation, whatever they claim to be. */
export const HEADLESS_PATTERN = /\b(HeadlessChrome|PhantomJS|SlimerJS|Chrome-Lighthouse)\b/;

/**
 * A crawler's token inside a browser-like UA: "(compatible; PetalBot;", "(Applebot/0.1;",
 * "AhrefsBot/7.0". A bot word must be followed by "/" or come after "compatible;", so a phone
 * model that ends in "bot" (CUBOT X30) is no crawler. Names are capped at 40 characters.
 */
export const CRAWLER_PATTERN =
  /compatible;\s*([A-Za-z][\w.-]{0,39}?(?:bot|spider|crawler))\b|(?:^|[\s;(])([A-Za-z][\w.-]{0,39}?(?:bot|spider|crawler))\//i;
