/**
 * Name tables the XSS judge consults: which tags can run or load active content, which attributes
 * hold URLs, which DOM property names a named element can shadow. Lookups compare offsets of the
 * original string case-insensitively, so judging a tag never allocates its name.
 */

/** Case-insensitive lookup of a slice of a string in a fixed list of lowercase ASCII names. */
export class NameTable<T extends string> {
  private readonly byLength: (T[] | undefined)[] = [];

  constructor(names: readonly T[]) {
    for (const name of names) (this.byLength[name.length] ??= []).push(name);
  }

  /** The table entry equal to `s[start, end)` ignoring ASCII case, or undefined. */
  find(s: string, start: number, end: number): T | undefined {
    const bucket = this.byLength[end - start];
    if (bucket === undefined) return undefined;
    for (const name of bucket) if (equalsLowerAt(s, start, name)) return name;
    return undefined;
  }

  has(s: string, start: number, end: number): boolean {
    return this.find(s, start, end) !== undefined;
  }
}

/** True when `s` holds `lower` at `start`, comparing ASCII letters case-insensitively. */
export function equalsLowerAt(s: string, start: number, lower: string): boolean {
  if (start + lower.length > s.length) return false;
  for (let k = 0; k < lower.length; k++) {
    let c = s.charCodeAt(start + k);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/** What a tag can do beyond carrying handlers and URL attributes, which every tag can. */
export type TagRole = 'script' | 'style' | 'frame' | 'plugin' | 'base' | 'meta' | 'link';

const ROLE_BY_TAG: Readonly<Record<string, TagRole>> = {
  script: 'script',
  style: 'style',
  iframe: 'frame',
  frame: 'frame',
  object: 'plugin',
  embed: 'plugin',
  applet: 'plugin',
  base: 'base',
  meta: 'meta',
  link: 'link',
};

export const ROLE_TAGS = new NameTable(Object.keys(ROLE_BY_TAG));

export function roleOf(tag: string): TagRole | undefined {
  return ROLE_BY_TAG[tag];
}

/**
 * Tags whose `name` (and for some, `id`) becomes a property of `document` or of their form:
 * HTML's named access, which shadows built-in DOM methods (DOM clobbering).
 */
export const NAMED_ACCESS_TAGS = new NameTable([
  'form', 'img', 'image', 'embed', 'object', 'iframe', 'frame', 'input', 'button', 'select',
  'textarea', 'fieldset', 'output', 'keygen',
]);

/** Attributes whose value the browser resolves as a URL (or, for SVG animation, sets as one). */
export const URL_ATTRIBUTES = new NameTable([
  'href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster', 'lowsrc',
  'dynsrc', 'codebase', 'code', 'archive', 'cite', 'longdesc', 'usemap', 'profile', 'classid',
  'manifest', 'icon', 'ping', 'srcset', 'to', 'from', 'values', 'by', 'content', 'xml:base',
  'datasrc', 'folder', 'movie', 'filterres', 'xlink:actuate', 'src2', 'imagesrcset',
]);

/** Tags on which an SVG/XML data URL is only ever an image and cannot run script. */
export const IMAGE_ONLY_TAGS = new NameTable(['img', 'source', 'picture', 'video', 'audio', 'track']);

/**
 * DOM properties that page scripts call on `document`, forms and elements. An element named after
 * one shadows it. Ordinary form-field names (action, method, submit, title, location) are left
 * out on purpose: real forms use them.
 */
export const CLOBBER_TARGETS: ReadonlySet<string> = new Set([
  'attributes', 'getElementById', 'getElementsByTagName', 'getElementsByClassName',
  'getElementsByName', 'querySelector', 'querySelectorAll', 'createElement', 'createTextNode',
  'createRange', 'cookie', 'domain', 'defaultView', 'documentElement', 'body', 'head',
  'currentScript', 'ownerDocument', 'parentNode', 'parentElement', 'childNodes', 'children',
  'firstChild', 'lastChild', 'firstElementChild', 'nextSibling', 'previousSibling', 'nodeName',
  'nodeType', 'nodeValue', 'tagName', 'localName', 'namespaceURI', 'innerHTML', 'outerHTML',
  'innerText', 'textContent', 'appendChild', 'removeChild', 'replaceChild', 'insertBefore',
  'cloneNode', 'setAttribute', 'getAttribute', 'removeAttribute', 'hasAttribute', 'hasAttributes',
  'addEventListener', 'removeEventListener', 'dispatchEvent', 'contains', 'baseURI', 'write',
  'writeln', 'implementation', 'scripts', 'forms', 'images', 'links', 'anchors', 'embeds',
  'plugins', 'readyState', 'referrer', 'URL', 'documentURI', 'elements', 'defaultValue',
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf',
  'isPrototypeOf', 'nodePrincipal', 'webkitMatchesSelector', 'matches', 'closest',
]);

/** Tag names reported in fingerprints as themselves; any other tag is reported as `custom`. */
export const FINGERPRINT_TAGS = new NameTable([
  'a', 'abbr', 'animate', 'animatemotion', 'animatetransform', 'applet', 'area', 'audio', 'b',
  'base', 'basefont', 'bgsound', 'blink', 'body', 'br', 'button', 'canvas', 'details', 'dialog',
  'div', 'embed', 'feimage', 'fieldset', 'foreignobject', 'form', 'frame', 'frameset', 'handler',
  'head', 'html', 'i', 'iframe', 'image', 'img', 'input', 'isindex', 'keygen', 'label', 'layer',
  'li', 'link', 'listener', 'maction', 'marquee', 'math', 'menu', 'meta', 'mglyph', 'mtext',
  'noscript', 'object', 'option', 'output', 'p', 'param', 'picture', 'select', 'set', 'source',
  'span', 'style', 'svg', 'table', 'td', 'template', 'textarea', 'th', 'title', 'tr', 'track',
  'use', 'video', 'xml', 'xmp', 'xss',
]);

/** Event-handler attributes reported in fingerprints by name; other `on*` names report as `on*`. */
export const KNOWN_HANDLERS = new NameTable([
  'onabort', 'onafterprint', 'onanimationend', 'onanimationiteration', 'onanimationstart',
  'onauxclick', 'onbeforecopy', 'onbeforecut', 'onbeforeinput', 'onbeforeprint',
  'onbeforeunload', 'onbegin', 'onblur', 'oncanplay', 'oncanplaythrough', 'onchange', 'onclick',
  'onclose', 'oncontextmenu', 'oncopy', 'oncuechange', 'oncut', 'ondblclick', 'ondrag',
  'ondragend', 'ondragenter', 'ondragleave', 'ondragover', 'ondragstart', 'ondrop',
  'ondurationchange', 'onend', 'onended', 'onerror', 'onfinish', 'onfocus', 'onfocusin',
  'onfocusout', 'onformdata', 'onfullscreenchange', 'onhashchange', 'oninput', 'oninvalid',
  'onkeydown', 'onkeypress', 'onkeyup', 'onload', 'onloadeddata', 'onloadedmetadata',
  'onloadstart', 'onmessage', 'onmousedown', 'onmouseenter', 'onmouseleave', 'onmousemove',
  'onmouseout', 'onmouseover', 'onmouseup', 'onmousewheel', 'onoffline', 'ononline',
  'onpagehide', 'onpageshow', 'onpaste', 'onpause', 'onplay', 'onplaying', 'onpointerdown',
  'onpointerenter', 'onpointerleave', 'onpointermove', 'onpointerout', 'onpointerover',
  'onpointerup', 'onpopstate', 'onprogress', 'onratechange', 'onrepeat', 'onreset', 'onresize',
  'onscroll', 'onscrollend', 'onsearch', 'onseeked', 'onseeking', 'onselect', 'onselectionchange',
  'onselectstart', 'onshow', 'onstart', 'onstorage', 'onsubmit', 'onsuspend', 'ontimeupdate',
  'ontoggle', 'ontouchend', 'ontouchmove', 'ontouchstart', 'ontransitionend', 'ontransitionrun',
  'ontransitionstart', 'onunload', 'onvolumechange', 'onwaiting', 'onwebkitanimationend',
  'onwebkitanimationstart', 'onwebkittransitionend', 'onwheel', 'onreadystatechange',
  'onbeforetoggle', 'oncontentvisibilityautostatechange', 'onpointerrawupdate',
]);

/**
 * Functions a template expression has no ordinary reason to call: the page's script sinks. Used
 * only inside `{{ }}`/`${ }` expressions, never to judge plain text.
 */
export const SCRIPT_SINK_CALLS: ReadonlySet<string> = new Set([
  'alert', 'prompt', 'confirm', 'eval', 'print', 'Function', 'setTimeout', 'setInterval',
  'fetch', 'import', 'execScript', 'atob', 'write', 'writeln', 'open',
]);

/** Assignment targets that navigate, leak or inject when script assigns to them. */
export const SINK_PROPERTIES: ReadonlySet<string> = new Set([
  'location', 'href', 'cookie', 'innerHTML', 'outerHTML', 'src', 'domain', 'srcdoc', 'action',
]);
