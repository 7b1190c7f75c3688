// Category rules for boilerplate and content. No rule names a site: these are the class/id vocabularies
// and phrases that page templates share (navigation, sharing, comments, related links, ads, newsletters…).

/** Subtrees that are never article text. */
export const DROP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'video', 'audio',
  'button', 'input', 'select', 'textarea', 'option', 'link', 'meta', 'head', 'title', 'nav', 'dialog', 'map', 'area',
  'img', 'picture', 'source', 'frame', 'frameset', 'applet',
]);

/** Layout regions that hold page chrome; removed unless they hold a lot of paragraph text. */
export const CHROME_TAGS = new Set(['header', 'footer', 'aside', 'form', 'menu', 'figure', 'figcaption']);

/** ARIA roles of page chrome. */
export const DROP_ROLES = /^(navigation|banner|contentinfo|complementary|menu|menubar|dialog|alertdialog|search|toolbar|tablist|alert)$/i;

/** class/id words of boilerplate regions (removed before scoring unless a content word is also present). */
export const UNLIKELY =
  /(^|[\s_-])(ad|ads|adv|advert|advertisement|advertising|banner|breadcrumbs?|combx|comments?|commentlist|community|gdpr|cookies?|consent|legends|menu|menus|nav|navbar|navigation|related|remark|replies|rss|shoutbox|sidebar|sidebars|skyscraper|social|sponsor|sponsored|supplemental|agegate|pagination|pager|popup|modal|newsletter|newsletters|subscribe|subscription|signup|sign-up|share|sharing|sharebar|share-bar|sharetools|social-share|recirc|recirculation|promo|promos|promotion|trending|most-popular|mostpopular|most-read|mostread|recommended|recommendations|read-more|readmore|more-stories|tags|tag-list|taglist|toolbar|masthead|footer|site-footer|site-header|topbar|top-bar|skip|skiplink|jump|widget|widgets|teaser|teasers|visually-hidden|sr-only|screen-reader-text|offscreen|byline|author-bio|author-info|about-author|dateline|timestamp|caption|credits?|login|register|registration)($|[\s_-])/;

/** class/id words of regions that are boilerplate even when a content word is also present ("post-comments"). */
export const UNLIKELY_STRONG =
  /(^|[\s_-])(comments?|commentlist|comment-list|comments-area|related|recirc|recirculation|newsletters?|subscribe|signup|share|sharing|sharebar|share-bar|sharetools|social-share|cookies?|consent|gdpr|sponsored|promo|promos|most-popular|mostpopular|most-read|mostread|recommended|recommendations|more-stories|trending|caption|captions|figcaption|credit|credits|image-credit|photo-credit|ad|ads|advert|advertisement|advertising)($|[\s_-])/;

/** class/id words that rescue an UNLIKELY match. */
export const MAYBE = /(^|[\s_-])(and|article|body|column|content|main|shadow|story|entry|post|text|embed|embedded)($|[\s_-])|articlebody|storybody|post-content|entry-content/;

/** Embedded posts (quoted tweets, social posts) are part of the article. */
export const EMBED = /(^|[\s_-])(embed|embedded|embeds|social-embed|post-embed)($|[\s_-])/;

/** Readability-style weights on class and id. */
export const NEGATIVE =
  /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media|meta|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|recirc|newsletter|subscribe|signup|social|popular|trending|teaser|recommend|byline|author|caption|credit|toolbar|nav|menu/;
export const POSITIVE = /article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|rich-?text/;

/** Strong article-body containers (markup conventions, not site names). */
export const ARTICLE_BODY =
  /(^|[\s_-])(article-?body|articlebody|article-?content|article-?text|story-?body|storybody|story-?content|story-?text|entry-?content|post-?content|post-?body|post-?entry|body-?text|article__body|article__content|story__body|content-?body|main-?content|rich-?text|paywall-?content|article-?main)($|[\s_-])/;

/** Short blocks that end the article (boilerpipe's terminating blocks) when they come after most of the text. */
export const TERMINATORS =
  /^(related( (stories|articles|posts|coverage|content|news|topics|links|reading|videos?))?|comments?|\d+ comments?|show comments|view comments|leave a (reply|comment)|post a comment|add a comment|join the (conversation|discussion)|more (from|on|about|stories|news|in|like this)\b.*|read (more|next)|recommended( for you| stories| reading)?|you (may|might) (also )?(like|be interested in)|also (read|see)|see also|most (popular|read|viewed|shared)|trending( now| stories)?|popular( stories| now)?|latest (news|stories|headlines)|top stories|what to read next|editors'? picks|sponsored( content| stories)?|around the web|from our partners|share this( article| story)?|você (pode|também pode) gostar|leia (também|mais)|veja também|(à )?lire aussi|lesen sie auch|mehr zum thema|(también )?te puede interesar|ver también|leggi anche|potrebbe interessarti|ook interessant|lees ook)[\s:.!…]*$/i;

/** Short blocks that are template text wherever they appear. */
export const BOILERPLATE_BLOCK =
  /^(advertisement|advertising|ad|sponsored|sponsored content|story continues below( advertisement)?|continue reading( below| the main story)?|article continues below|scroll to continue( with content)?|share( this)?( article| story| page| on)?.{0,30}|follow us( on)?.{0,40}|sign up( for)?.{0,80}|subscribe( now| today| to)?.{0,80}|click here.{0,80}|read more.{0,60}|read the full (story|article).{0,40}|image (copyright|caption).{0,80}|all rights reserved.{0,40}|(copyright|©) .{0,100}|enable javascript.{0,80}|please enable javascript.{0,80}|you must be logged in.{0,80}|this (video|content) is not available.{0,80}|loading\W*|print|email|comments?|skip (to|ad).{0,40}|close|menu|search|back to top|next article|previous article|trending:?|don'?t miss:?|more:|tags:?|topics:?|(published|updated|posted|last updated|first published)\b.{0,100})$/iu;

/** class tokens that mean "not displayed". */
export const HIDDEN_CLASS = /(^|\s)(hidden|is-hidden|d-none|hide|invisible|display-none|u-hidden)(\s|$)/;

/** A short byline line ("By Jane Roe", "Written by Jane Roe - Nov 18"): metadata, not body text. */
export const BYLINE_BLOCK = /^(?:[Bb]y|BY|[Ww]ritten by|[Rr]eported by|[Pp]or|[Vv]on|[Dd]i|[Pp]ar) \p{Lu}[^!?]{0,80}$/u;

/** Phrases that mark a short block (≤ 250 chars) as a promotion, prompt or page furniture wherever they occur in it. */
export const BOILERPLATE_PHRASE =
  /(click here|sign up (for|to)\b|subscribe (to|now|today)\b|requires javascript|enable javascript|javascript (is )?(disabled|required)|follow (us|me|@\w+) on|follow [\w'’]+ full coverage|if you enjoyed this article|delivered (straight |right )?to your inbox|(get|receive) (our|the) (daily |weekly |free )?newsletter|tell us what you think|all rights reserved|©|\(c\) ?\d{4}|\b(tags|filed under|categor(y|ia|ies))\s*:|share (this|on) \S+\s*$)/i;

/** A block that is nothing but a URL. */
export const URL_BLOCK = /^(https?:\/\/|www\.)\S+$/i;

/** Credit lines ("Reporting by …; Editing by …", "… contributed to this report"): metadata, not body text. */
export const CREDIT_BLOCK =
  /^[(\[]?((additional |with )?reporting by|(writing|editing|compiled|translated) by|photos? by)\b|\b(contributed|contributing) (reporting|to (this|the) (report|story|article))\W*$|\bcontributed\W*$/i;
