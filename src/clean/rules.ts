// The registry of named boilerplate rules. Rules are categories of page furniture, never sites.
// Speed: a line is first looked up as a whole (its lineKey) in one phrase table; then only the
// rules whose maxLen admits the line's length run their anchored patterns. Long paragraphs meet
// only the handful of rules that can match long lines.
import type { DocMeta } from '../types.js';
import { lineKey } from './template-lines.js';
import { isProse } from './structure.js';
import { isCreditLine, isSourceLine, parseByline, parseDateLine, parseRoleByline, parseSyndicationFooter, CREDIT_MAX } from './metadata.js';

export interface RuleContext {
  /** 0-based index of the line in the document. */
  index: number;
  /** All lines of the document, repaired. */
  lines: readonly string[];
  /** lineKey() of the line when the caller has it ('' = not computed). */
  key?: string;
}

export interface BoilerplateRule {
  id: string;
  category?: string;
  description?: string;
  /** Lines longer than this are never tested by this rule (speed; long lines are prose). Default: any. */
  maxLen?: number;
  /** Whole-line phrases, compared on lineKey() (case, digits, punctuation folded: "12 Comments" → "0 comments"). */
  phrases?: readonly string[];
  /** Anchored pattern tested on the repaired, trimmed line. */
  pattern?: RegExp;
  test?: (line: string, ctx: RuleContext) => boolean;
  /** For metadata-bearing lines: move what the line tells into meta. */
  lift?: (line: string, meta: DocMeta) => void;
  /**
   * Its pattern matches how a line starts ("Copyright", "Follow … on X"), as a sentence of the story may: a line that
   * reads as reporting (reportedProse) is kept.
   */
  keepsProse?: boolean;
}

// The credit that closes a picture caption: "(Photo: Agency)", "(AP Photo/Name)", "(Image: AGENCY )", "Credit: Agency".
const CAPTION_CREDIT = /(?:\((?:[\p{Lu}][\p{L}.]{0,20} )?(?:Photo|Image|Picture|Foto|Photograph)s?(?: by| credit)?(?: ?[:/] ?[^()]{1,60})?\)|\bCredit: [^.!?()]{1,60})$/u;

const CREDIT_TAIL = / (?:Images|Photos?|Pictures|Photography)$/;
function agencyCredit(line: string): boolean {
  return (
    // A lone agency credit under a picture: "Agency Images", "Name/Agency Photo".
    (line.length <= 40 && /^\p{Lu}[\p{L}.&/ -]{0,30} (?:Images|Photos?|Pictures|Photography)$/u.test(line)) ||
    // "Name | Agency | Agency Images": a photographer and agencies under a picture.
    (line.length <= 90 && /^\p{Lu}[\p{L}.&'’ -]{0,40}(?: ?[|/] ?\p{Lu}[\p{L}.&'’ -]{0,40}){1,3} (?:Images|Photos?|Pictures)$/u.test(line))
  );
}
// The newsletter prompts that sit inside a longer line (searched, not anchored).
const NEWSLETTER_INLINE = /\b(?:subscribe|sign up) (?:to|for) our (?:free )?(?:newsletters?|mailing list)\b|\byou (?:can|may) unsubscribe at any time/i;

const COOKIE_NOTICE = /^(?:(?:strictly )?(?:necessary|functional|analytics|performance|marketing|advertising|targeting|non-necessary|essential|third[- ]party) cookies (?:are|help|allow|enable|may|is|used)\b|privacy overview$|(?:necessary|required) always enabled$|we (?:and our partners )?use cookies|(?:this|our) (?:web ?site|site) uses cookies|by (?:using|continuing to use|browsing) (?:this|our) (?:web ?site|site|service)|we value your privacy|we care about your privacy|(?:to|we) (?:use|store) cookies|cookies (?:help|are used|enable)|(?:manage|change|update) (?:your )?(?:cookie|privacy|consent) (?:settings|preferences|choices)|(?:read|see|view) (?:our|the) (?:privacy|cookie) (?:policy|notice))/i;

// Gallery furniture: "Image 1 of 8", "1 / 8", and "3 of 12 Caption…".
const GALLERY = /^(?:(?:[Ii]mage|[Pp]hoto|[Ss]lide|[Pp]icture)s? )?\d{1,3} ?(?:of|\/) ?(?:\/ ?)?\d{1,3}$|^\d{1,3} of \d{1,3} \p{Lu}/u;
const URL_ONLY = /^(?:https?:\/\/|www\.)\S+$/i;

const CAPTION_TOGGLE = /(?:\.{3}|…) ?more$|[.!?]["”’)]? less$/;

const MARKUP_START = /^<\/?[a-zA-Z][\w-]{0,20}[\s>\/]/;

const AUTHOR_CONTACT = /^(?:[Ww]rite to|[Ee]-?mail|[Cc]ontact|[Rr]each) [^@]{1,60} at [^\s@]{1,60}@[^\s@]{1,60}?(?:\.| or .{0,120})?$/;

const PRICE = /^(?:(?:was|now|price|sale|sale price|regular price|from|only)\s*:?\s*)?(?:[$€£¥₹]\s?\d[\d,.]*|\d[\d,.]*\s?(?:[$€£¥₹]|usd|eur|gbp))(?:\s*[-–/]\s*[$€£¥₹]?\s?\d[\d,.]*)?(?:\s+(?:[$€£¥₹]\s?\d[\d,.]*))?$/i;

/**
 * Whether a date line is a heading inside the story (a timeline's "June 2, 2024"): a bare date, not "Published …"
 * or "Updated …", with two paragraphs of prose before it and one right after it. (Right after: a date followed
 * only by furniture that goes is the foot's date, and cleaning the output again must give the same text.)
 */
function amidProse(line: string, ctx: RuleContext): boolean {
  if (/^(?:first |last )?(?:published|updated|posted|modified|created|date)\b/i.test(line)) return false;
  let next = ctx.index + 1;
  while (next < ctx.lines.length && ctx.lines[next].trim() === '') next++;
  if (next >= ctx.lines.length || !isProse(ctx.lines[next])) return false;
  let before = 0;
  for (let i = ctx.index - 1; i >= 0 && before < 2; i--) if (isProse(ctx.lines[i])) before++;
  return before >= 2;
}

/** A line of a data table as the HTML stage writes it ("2023 | 4.1 | 3.8"), or the label of a figure. */
const FIGURE_LINE = /\S \| \S|^(?:chart|graphic|figure|fig\.|table|map|graph|infographic)\b/i;

/**
 * "Source: National Statistics Office" under a table or a chart, or amid the story's paragraphs, credits the figures,
 * not the article: it stays in the text and names no source. (The outlet's "Source: …" stands at the top or the foot.)
 */
function figureSource(line: string, ctx: RuleContext): boolean {
  if (!isSourceLine(line)) return false;
  let prev = ctx.index - 1;
  while (prev >= 0 && ctx.lines[prev].trim() === '') prev--;
  return (prev >= 0 && FIGURE_LINE.test(ctx.lines[prev].trim())) || amidProse(line, ctx);
}

export const RULES: readonly BoilerplateRule[] = [
  // ---------------------------------------------------------------- metadata-bearing lines (lifted)
  {
    id: 'syndication-footer',
    category: 'metadata',
    description: 'Syndication footer ("The post … appeared first on …", "Source: Read More", "Originally published on …"): title and source go to meta.',
    maxLen: 450,
    test: (line, ctx) => parseSyndicationFooter(line) !== null && !figureSource(line, ctx),
    lift: (line, meta) => {
      const f = parseSyndicationFooter(line);
      if (f?.title && !meta.title) meta.title = f.title;
      if (f?.source && !meta.source) meta.source = f.source;
    },
  },
  {
    id: 'credit-line',
    category: 'metadata',
    description: 'Reporting credits ("X and Y contributed reporting.", "Reporting by …; Editing by …"): go to meta.credits.',
    maxLen: CREDIT_MAX,
    test: (line) => isCreditLine(line),
    lift: (line, meta) => {
      meta.credits.push(line);
    },
  },
  {
    id: 'byline',
    category: 'metadata',
    description: 'Byline ("By Jane Doe", "By JANE DOE and JOHN ROE"): goes to meta.byline.',
    maxLen: 120,
    test: (line) => parseByline(line) !== null || parseRoleByline(line) !== null,
    lift: (line, meta) => {
      if (!meta.byline) meta.byline = parseByline(line) ?? parseRoleByline(line);
      // "Posted by Jane Doe on March 4, 2021": the date rides along.
      const on = / on (.{4,60})$/.exec(line);
      if (on && !meta.date) meta.date = parseDateLine(on[1].replace(/^[,\s]+/, ''));
    },
  },
  {
    id: 'date-line',
    category: 'metadata',
    description: 'A line that is only a date or time ("Published Nov. 3, 2024", "Updated 5:02 PM ET"): goes to meta.date.',
    maxLen: 100,
    test: (line, ctx) => parseDateLine(line) !== null && !amidProse(line, ctx),
    lift: (line, meta) => {
      if (!meta.date) meta.date = parseDateLine(line);
    },
  },
  // ---------------------------------------------------------------- commerce
  {
    id: 'shop-widget',
    category: 'commerce',
    description: 'Shop and commerce widgets: buy buttons, product placeholders, prices or quantities alone on a line.',
    maxLen: 80,
    phrases: [
      'buy now', 'buy it now', 'shop now', 'add to cart', 'add to basket', 'add to bag', 'add to wishlist',
      'add to wish list', 'view cart', 'checkout', 'proceed to checkout', 'in stock', 'out of stock', 'sold out',
      'quantity', 'qty', 'free shipping', 'free delivery', 'on sale', 'select options',
      'choose options', 'quick view', 'see price', 'check price', 'view deal', 'see deal', 'get deal',
      'shop the story', 'order now', 'pre order', 'preorder', 'in cart', 'remove from cart',     ],
    pattern: /^(?:product|item) \d{1,3} (?:title|name|description|image|price)$|^(?:qty|quantity)\s*:?\s*\d{0,4}$|^(?:add|remove)\s*[-+]$|^\d{1,3}\s*(?:in stock|available|left in stock)$/i,
    test: (line) => line.length <= 40 && PRICE.test(line),
  },
  // ---------------------------------------------------------------- teasers and related links
  {
    id: 'teaser-link',
    keepsProse: true,
    category: 'navigation',
    description: 'Teasers and related links ("READ ALSO: …", "Related: …", "More from …", "You may also like").',
    maxLen: 220,
    phrases: [
      'related', 'related articles', 'related article', 'related stories', 'related story', 'related posts',
      'related post', 'related content', 'related coverage', 'related news', 'related topics', 'related links',
      'related reading', 'read also', 'also read', 'read more', 'see also', 'read next', 'next article',
      'previous article', 'next story', 'previous story', 'next post', 'previous post', 'more stories',
      'more news', 'more articles', 'more on this story', 'more on this topic', 'you may also like',
      'you might also like', 'you may like', 'you might like', 'recommended', 'recommended for you',
      'recommended stories', 'recommended articles', 'further reading', 'don t miss', 'must read', 'must reads',
      'most read', 'most popular', 'most viewed', 'most shared', 'trending', 'trending now', 'popular',
      'popular stories', 'top stories', 'editor s picks', 'editors picks', 'what to read next', 'keep reading',
      'continue reading', 'read full article', 'read the full story', 'read the full article', 'full story',
      'view all', 'see all', 'show more', 'load more', 'more', 'back to top', 'in case you missed it',
      'more in this section', 'latest stories', 'latest news', 'around the web', 'from the web', 'promoted stories',
      'suggested reading', 'suggested for you', 'also on', 'elsewhere', 'explore further',
      // The same furniture in a few other languages.
      'leia também', 'leia mais', 'veja também', 'você pode gostar', 'relacionados', 'notícias relacionadas',
      'lee también', 'lea también', 'te puede interesar', 'noticias relacionadas', 'lesen sie auch',
      'mehr zum thema', 'das könnte sie auch interessieren', 'lire aussi', 'à lire aussi', 'sur le même sujet',
      'baca juga', 'berita terkait', 'читайте также', 'похожие статьи', 'leggi anche', 'potrebbe interessarti',
      'leer más', 'lea más', 'weiterlesen', 'lire la suite', 'continua a leggere',
    ],
    pattern: /^(?:(?:previous|next|older|newer) (?:post|article|story|entry)|read also|also read|read more|see also|leia também|leia mais|veja também|lee también|lea también|leer más|lea más|lesen sie auch|weiterlesen|lire la suite|mehr|(?:à )?lire aussi|baca juga|leggi anche|читайте также|related(?: articles?| stories| story| posts?| coverage| content| news| reading)?|more from|more on|more about|read next|recommended|further reading|don['’]t miss|must read|watch(?: now)?|listen(?: now)?|click here|trending|in case you missed it|read the full (?:story|article))\s*(?::|\||»|›|>|→|[-–—](?= )|\.{3}|…)|^(?:also|more) on \S{1,40}\.[a-z]{2,6} \S/i,
    test: (line) => {
      // "More from X" / "More stories from X" / "Click here to …" as short lines without a final period.
      if (line.length > 90 || /[.!?]["”’]?$/.test(line)) return false;
      // "More in Sport", "More from the Weekend Desk" name a section; "More in store for the promenade" is a subheading
      const section = /^more (?:from|on|about|in) (?:(?:the|our|this) )?(\S)/i.exec(line);
      if (section && !/[\p{Lu}\d"“‘'#@]/u.test(section[1])) return false;
      return /^(?:more (?:from|on|about|in|stories|news|articles|coverage)|(?:read|see|view|watch|explore) (?:more|all|the latest)|click here (?:to|for)|latest (?:from|on|in)|other stories|(?:also|previously) on|(?:popular|trending) (?:on|in))\b/i.test(line);
    },
  },
  // ---------------------------------------------------------------- comments
  {
    id: 'comment-prompt',
    keepsProse: true,
    category: 'engagement',
    description: 'Comment prompts and counters ("Leave a Reply", "Comments", "12 comments").',
    maxLen: 160,
    phrases: [
      'leave a reply', 'leave a comment', 'leave a reply cancel reply', 'cancel reply', 'post a comment',
      'add a comment', 'add comment', 'write a comment', 'submit comment', 'post comment', 'comment', 'comments',
      'no comments', 'show comments', 'view comments', 'load comments', 'hide comments', 'see comments',
      'read comments', 'view all comments', 'join the conversation', 'join the discussion', 'comments are closed', 'comments closed', 'be the first to comment', 'reply', 'replies',
      'report', 'report comment', 'like', 'likes', 'sort by', 'newest', 'oldest', 'top comments',
      'what do you think', 'tell us what you think', 'share your thoughts', 'have your say', 'responses', 'reader comments',
      '0 comments', 'comments 0', '0 comment', '0 responses', '0 replies', '0 reply', 'discuss', 'comment now',
      'leave your comment', 'your comment', 'your name', 'your email', 'name', 'email', 'website', 'save my name email and website in this browser for the next time i comment',
      'notify me of new comments via email', 'notify me of new posts via email', 'notify me of follow up comments by email',
    ],
    pattern: /^(?:\d+ (?:responses|comments|replies|thoughts) (?:to|on)\b|(?:rating|score|votes?|points?)\s*:?\s*[-+]?\d+(?:\s*(?:votes?|points?))?$|(?:top|most) (?:rated|recent|liked|popular) comments$|your email address will not be published|you must be (?:logged in|signed in) to (?:post|leave) a comment|required fields are marked|comments (?:are|have been) (?:closed|disabled)|(?:this|the) discussion (?:is|has been) closed|we (?:welcome|encourage) (?:comments|readers to comment)|comments? (?:policy|guidelines)|(?:leave|post|add|write|submit) (?:a|your) (?:reply|comment|response)\b)/i,
  },
  // ---------------------------------------------------------------- share and follow bars
  {
    id: 'share-bar',
    keepsProse: true,
    category: 'engagement',
    description: 'Share and follow bars ("Share this article", "Follow us on …", "Tweet", "Copy link").',
    maxLen: 100,
    phrases: [
      'share', 'shares', '0 shares', 'share this', 'share this article', 'share this story', 'share this post',
      'share this page', 'share article', 'share story', 'share on', 'share via', 'share via email', 'share by email',
      'email this', 'email this article', 'e mail', 'print', 'print this', 'print this article', 'print article',
      'tweet', 'tweet this', 'pin', 'pin it', 'copy link', 'copy url', 'link copied', 'copied', 'copy article link',
      'follow', 'follow us', 'follow me', 'connect with us', 'share options', 'sharing options', 'more sharing options',
      'share on social media', 'share full article', 'save', 'save article', 'save for later', 'bookmark',
      'gift article', 'gift this article', 'send', 'shares share', 'share tweet', 'facebook twitter email',
      'text size', 'font size', 'listen to this article', 'listen to article', 'copy link url copied', 'print this page',
      'listen to this story', 'copy link to clipboard', 'copy to clipboard',
    ],
    pattern: /^(?:share (?:this (?:article|story|post|page|video) )?(?:on|via|to|with) \S.{0,40}|share(?: this(?: article| story| post| page)?)?\s*[:|-]?\s*(?:(?:facebook|twitter|x|whatsapp|e-?mail|linkedin|reddit|pinterest|telegram|messenger|print|copy link|sms|threads|bluesky)\b[\s,|•·]*){1,10}|follow (?:us |me |the author )?(?:on|at|via) \S.{0,40}|follow\b.{0,60}\bon (?:facebook|twitter|x|instagram|linkedin|tiktok|youtube|threads|bluesky|telegram|whatsapp)\b.{0,80}|follow(?: \S{1,30}){1,3} on|(?:like|liked|enjoy|enjoyed|love|loved) this (?:story|article|post)\? .{0,60}|(?:like|find) us on \S.{0,40}|connect with us on \S.{0,40}|(?:click|tap) to (?:share|email|print|tweet)\b.{0,40}|share the story)$/i,
  },
  // ---------------------------------------------------------------- newsletter
  {
    id: 'newsletter-prompt',
    keepsProse: true,
    category: 'engagement',
    description: 'Newsletter sign-up prompts ("Sign up for our newsletter", "Enter your email").',
    maxLen: 240,
    phrases: [
      'subscribe', 'subscribe now', 'subscribe today', 'sign up', 'sign up now', 'sign up today', 'newsletter',
      'newsletters', 'our newsletters', 'enter your email', 'enter your email address', 'email address',
      'your email address', 'thanks for subscribing', 'thank you for subscribing', 'thank you for signing up',
      'you re all set', 'get our newsletter', 'get the newsletter', 'free newsletter', 'sign me up', 'join now',
      'i m in', 'yes please', 'no thanks', 'invalid email', 'please enter a valid email address',
      'get the latest news', 'stay informed', 'stay in the know', 'stay up to date',
    ],
    pattern: /^(?:(?:sign up|subscribe|register|join|get|receive)\b.{0,90}\b(?:newsletters?|briefings?|digest|inbox|e-?mails? alerts?|updates? (?:in|to|straight to) your)|by (?:signing up|subscribing|clicking|registering|entering your e-?mail)\b.{0,120}\b(?:you|i)(?: also| hereby)? (?:agree|consent|accept|acknowledge)|(?:we|you) (?:will|can|may) (?:unsubscribe|opt out)\b|get (?:the )?(?:latest|best|top) .{0,60} (?:delivered|sent) (?:to|straight to)|(?:the|our) .{0,40} newsletter\b.{0,60}$|don['’]t miss out\b.{0,80}\bsign up\b.{0,60}$|want more (?:stories|news|articles) like this\? .{0,80})/i,
    test: (line) => line.length <= 240 && (line.includes('ewsletter') || line.includes('ailing list') || line.includes('nsubscri')) && NEWSLETTER_INLINE.test(line),
  },
  // ---------------------------------------------------------------- login, registration, paywall
  {
    id: 'login-paywall',
    keepsProse: true,
    category: 'engagement',
    description: 'Login, registration and paywall prompts ("Log in", "Subscribe to continue reading").',
    maxLen: 260,
    phrases: [
      'log in', 'login', 'log out', 'logout', 'sign in', 'sign out', 'signin', 'register', 'register now',
      'my account', 'account', 'create an account', 'create account', 'create a free account', 'forgot password',
      'forgot your password', 'password', 'username', 'remember me', 'already a subscriber', 'already a member',
      'already have an account', 'already have an account sign in', 'already have an account log in',
      'subscriber exclusive', 'subscribers only', 'subscriber only', 'premium', 'premium content',
      'exclusive content', 'become a member', 'become a subscriber', 'join today', 'start free trial',
      'start your free trial', 'try it free', 'unlock this article', 'get access', 'log in or register',
      'sign in or register', 'sign in to continue', 'log in to continue', 'manage account', 'manage subscription',
      'subscriber login', 'member login', 'digital access', 'see my options', 'continue',
      'already registered log in', 'already registered sign in', 'sign in to comment', 'log in to comment',
    ],
    pattern: /^(?:(?:subscribe|sign in|log in|register|join) (?:now |today )?(?:to|for) (?:continue|keep|read|get|unlock|access|view|enjoy|gain)|to continue reading|continue reading (?:this|the) (?:article|story) (?:with|by|for)|you(?:'ve| have) (?:reached|read|used) (?:your|all|the|\d+)|this (?:article|content|story|page|post) is (?:only )?(?:available|for|reserved|exclusive)|(?:become|already) a (?:member|subscriber)|(?:unlock|get) (?:full|unlimited|digital|instant) access|only (?:subscribers|members) can|(?:the rest of )?this (?:article|story) is for (?:subscribers|members)|for (?:just|only) [$€£]\s?\d.{0,80}(?:month|week|year)|subscribe for (?:just|only|\$|€|£)|we rely on (?:readers|the support of readers) like you\b.{0,120}$|(?:please )?consider (?:supporting|donating to|making a donation to) (?:our|independent|local) journalism\b.{0,60}$)/i,
  },
  // ---------------------------------------------------------------- cookies and privacy
  {
    id: 'cookie-notice',
    keepsProse: true,
    category: 'legal',
    description: 'Cookie and privacy notices, consent buttons and the legal links of a page footer.',
    maxLen: 1200,
    phrases: [
      'accept', 'accept all', 'accept cookies', 'accept all cookies', 'reject all', 'reject', 'decline',
      'i agree', 'i accept', 'agree', 'got it', 'ok', 'okay', 'dismiss', 'close', 'allow all', 'allow cookies',
      'manage preferences', 'manage cookies', 'cookie settings', 'cookie preferences', 'cookie policy',
      'cookies policy', 'cookies', 'privacy', 'privacy policy', 'privacy notice', 'privacy statement',
      'privacy settings', 'privacy center', 'your privacy', 'your privacy choices', 'privacy choices',
      'terms', 'terms of use', 'terms of service', 'terms and conditions', 'terms conditions',
      'terms of use privacy policy', 'privacy policy terms of use', 'do not sell my personal information',
      'do not sell or share my personal information', 'do not sell my info', 'ad choices', 'adchoices',
      'california privacy rights', 'your california privacy rights', 'accessibility', 'accessibility statement',
      'accept and close', 'accept & close', 'agree and close', 'close and accept', 'sitemap', 'site map', 'contact us', 'about us', 'careers', 'advertise', 'advertise with us', 'faq', 'imprint', 'gdpr', 'consent', 'consent preferences', 'cookie consent',
    ],
    // Long lines (a notice run together with its details) are tested only when they name cookies.
    test: (line) => (line.length <= 400 || line.includes('ookie')) && COOKIE_NOTICE.test(line),
  },
  // ---------------------------------------------------------------- scripts and media players
  {
    id: 'js-video-notice',
    keepsProse: true,
    category: 'media',
    description: '"Enable JavaScript" notices and video or audio player furniture.',
    maxLen: 260,
    phrases: [
      'play video', 'watch video', 'video', 'play', 'pause', 'replay', 'mute', 'unmute', 'now playing',
      'loading', 'loading video', 'loading player', 'video player', 'audio player', 'skip ad',
      'skip advertisement', 'advertisement skip', 'fullscreen', 'full screen', 'exit fullscreen', 'close video',
      'video unavailable', 'watch', 'watch now', 'listen', 'listen now', 'play audio', 'closed captions',
      'autoplay', 'watch live', 'live tv', 'embed', 'share video', 'copy embed code', 'video transcript', 'media playback is unsupported on your device',
      'scroll down for video', 'click to enlarge', 'tap to enlarge', 'click to expand', 'enlarge image', 'view larger image', 'expand image',
      'click to play', 'tap to play', 'tap to unmute', 'javascript is disabled', 'javascript required',
      'please enable javascript', 'enable javascript', 'loading comments',
    ],
    pattern: /^(?:(?:please )?(?:enable|turn on|activate) javascript|javascript (?:is|must be) (?:disabled|required|enabled|turned off)|(?:you need|you must have|this [\w ]{1,20} requires) javascript|to view this (?:video|content|page)|your browser (?:does not|doesn['’]t|cannot|can['’]t) (?:support|play|display)|this (?:video|audio|media|content) (?:is|isn['’]t|is not) (?:not |currently )?(?:available|unavailable|supported|playable)|(?:the |your )?video (?:will (?:play|load|begin|start|resume)|is (?:loading|playing|starting|buffering))(?: (?:in \d+(?: seconds?)?|after (?:the|this) (?:ad|advertisement)|shortly|now|soon|in picture-in-picture(?: mode)?))?[.!…]*$|(?:media|video) playback (?:is|was) (?:not )?(?:un)?supported|(?:please )?(?:upgrade|update) (?:your|to a) (?:modern )?browser|thanks for watching\b|(?:duration|runtime|length)\s*:?\s*\d{1,2}:\d{2}$|\d{1,2}:\d{2}(?::\d{2})? ?(?:min|mins|minutes)?$)/i,
  },
  // ---------------------------------------------------------------- copyright
  {
    id: 'copyright',
    keepsProse: true,
    category: 'legal',
    description: 'Copyright and reproduction notices ("© 2024 …", "All rights reserved.").',
    maxLen: 300,
    pattern: /^(?:©|\(c\)\s(?![a-z])|copyright\b|℗|(?:this material|this article|this content) may not be (?:published|reproduced|copied|redistributed)|no part of this (?:publication|article|website) may be|this (?:document|article|material|content) is (?:subject to|protected by) copyright)/i,
    // "… All rights reserved." at the end: checked on the line's tail only (no scan of the whole line).
    test: (line) => /all rights reserved\.?$/i.test(line.slice(-22)),
  },
  // ---------------------------------------------------------------- advertising
  {
    id: 'advertisement',
    category: 'ads',
    description: 'Advertisement labels and sponsored-content markers.',
    maxLen: 120,
    phrases: [
      'advertisement', 'advertisements', 'advertising', 'advert', 'ad', 'ads', 'sponsored', 'sponsored content',
      'sponsored by', 'sponsored post', 'sponsored links', 'sponsored stories', 'paid content', 'paid post',
      'paid for by', 'promoted', 'promoted content', 'promoted by', 'partner content', 'presented by',
      'supported by', 'ad feedback', 'report this ad', 'report ad', 'skip advertisement',
      'advertisement continue reading below', 'story continues below advertisement',
      'article continues below advertisement', 'continue reading below', 'continue reading the main story',
      'scroll to continue with content', 'content continues below', 'ad content', 'advertiser content',
      'advertisement scroll to continue', 'remove ads', 'ad free', 'go ad free', 'this is an advertisement',
    ],
    pattern: /^(?:(?:story|article|content|text|reading) continues (?:below|after|under)|advertisement\s*[-–—:|]|sponsored content from\b|(?:this (?:post|article|content) (?:is|was) )?(?:paid for|sponsored|presented) by\s+[^.,;!?]{1,50}$)/i,
  },
  // ---------------------------------------------------------------- template placeholders
  {
    id: 'placeholder-text',
    category: 'template',
    description: 'Template placeholders left in the page ("Lorem ipsum dolor sit amet", "Your text here").',
    maxLen: 3000,
    phrases: [
      'sample text', 'your text here', 'text goes here', 'title goes here', 'heading goes here', 'insert text here',
      'placeholder', 'placeholder text', 'untitled', 'no title', 'image placeholder', 'caption', 'caption goes here', 'alt text',
    ],
    pattern: /\blorem ipsum\b|\bdolor sit amet\b/i,
    // A shortcode left in the text: "[button link=…]Send us your story[/button]".
    test: (line) => line.charCodeAt(0) === 91 /* [ */ && /^\[[a-z_]{2,20}(?: [^\]]{0,200})?\].{0,200}\[\/[a-z_]{2,20}\]$/i.test(line),
  },
  // ---------------------------------------------------------------- image credits
  {
    id: 'image-credit',
    keepsProse: true,
    category: 'media',
    description: 'Image and photo credit lines ("Photo: Name/Agency", "Image Credit: …").',
    maxLen: 160,
    pattern: /^\(?(?:(?:image|photo|photograph|picture|pic|illustration|video|file photo|featured image|header image|top image|lead image)s?(?: credits?| source| courtesy)?|credits?|photo credits?|image via)\s*[:|]\s*\S/i,
    // Without the i flag, so that \p{Lu} means a capital letter (a name follows).
    test: (line) =>
      /^\(?(?:[Pp]hoto|[Ii]mage|[Pp]icture|[Ii]llustration|[Pp]hotograph)s? (?:by|courtesy of|via)\s+\p{Lu}/u.test(line) ||
      // "Image copyright Agency", "Image caption The harbour at dawn", "Media caption …".
      /^(?:Image|Media|Photo|Video) (?:[Cc]opyright|[Cc]aption) \S/.test(line) ||
      (CREDIT_TAIL.test(line.slice(-12)) && agencyCredit(line)),
  },
  // ---------------------------------------------------------------- author contact
  {
    id: 'author-contact',
    category: 'engagement',
    description: 'How to reach the author ("Write to Jane Doe at jane@example.org", "Email Jane Doe at … or follow her @…").',
    maxLen: 200,
    test: (line) => line.indexOf('@') > 0 && AUTHOR_CONTACT.test(line),
  },
  // ---------------------------------------------------------------- tags
  {
    id: 'tag-list',
    category: 'navigation',
    description: 'Tag and category lists ("Tags: …", "Filed under: …").',
    maxLen: 240,
    pattern: /^(?:tags?|topics?|filed (?:under|in)|categories|category|posted in|keywords|this (?:article|story|post) is related to)\s*:\s*\S/i,
  },
  // ---------------------------------------------------------------- symbol debris
  {
    id: 'symbol-line',
    category: 'template',
    description: 'A short line of only symbols or punctuation ("‹ › ×", "|", "»"): widget debris, no words. Separators ("***", "___") stay.',
    maxLen: 12,
    pattern: /^(?![_*=~-]+$)[\p{P}\p{S} ]{1,12}$/u,
  },
  // ---------------------------------------------------------------- reading time
  {
    id: 'reading-time',
    category: 'metadata',
    description: 'Reading-time labels ("5 min read", "Reading time: 3 minutes").',
    maxLen: 50,
    pattern: /^(?:(?:estimated )?reading time|read time|tempo de leitura|tiempo de lectura|temps de lecture|lesezeit)\s*:?\s*\d{1,3}\s?\p{L}{0,10}\.?$|^\d{1,3}[- ]?min(?:ute)?s?\.? read$/iu,
  },
  // ---------------------------------------------------------------- picture captions and galleries
  {
    id: 'image-caption',
    keepsProse: true,
    category: 'media',
    description: 'Picture captions and gallery furniture: a caption that ends in its credit ("… (Photo: Agency)", "… Credit: Agency"), "1 of 8 …" gallery captions, "Image 1 of 8", "Back to gallery".',
    maxLen: 600,
    phrases: ['back to gallery', 'view gallery', 'view all photos', 'open gallery', 'start slideshow', 'next slide', 'previous slide'],
    // No i flag on the credit forms: "Credit:" and "(Photo …)" are capitalised in captions.
    test: (line) => {
      const c = line.charCodeAt(0);
      if ((c >= 48 && c <= 57) || line.length <= 24) {
        if (GALLERY.test(line)) return true;
      }
      // Only the tail is examined: a caption's credit closes it.
      // A caption with its expand/collapse toggle: "… at the show in Los Angeles… more", "… on Tuesday. less".
      if (line.length >= 40 && CAPTION_TOGGLE.test(line.slice(-8))) return true;
      if (line.charCodeAt(line.length - 1) !== 41 /* ) */ && line.indexOf('Credit: ', line.length - 90) < 0) return false;
      const tail = line.length > 90 ? line.slice(-90) : line;
      const m = CAPTION_CREDIT.exec(tail);
      // A caption precedes the credit; a credit alone is an image-credit line.
      return m !== null && line.length - tail.length + m.index >= 20;
    },
  },
  // ---------------------------------------------------------------- markup
  {
    id: 'markup-line',
    category: 'template',
    description: 'A line of HTML markup left in the text ("<img height=\"1\" …>", "<span class=…></span>"): no words of the article.',
    maxLen: 2000,
    test: (line) => line.charCodeAt(0) === 60 /* < */ && line.charCodeAt(line.length - 1) === 62 /* > */ && MARKUP_START.test(line),
  },
  // ---------------------------------------------------------------- bare addresses
  {
    id: 'url-line',
    category: 'template',
    description: 'A line that is only a web address (a printed canonical URL, an image source): no words of the article.',
    maxLen: 600,
    test: (line) => {
      const c = line.charCodeAt(0) | 0x20;
      return (c === 104 /* h */ || c === 119) /* w */ && URL_ONLY.test(line);
    },
  },
  // ---------------------------------------------------------------- breadcrumbs
  {
    id: 'breadcrumb',
    category: 'navigation',
    description: 'Breadcrumb trails ("Home > News > World").',
    maxLen: 160,
    pattern: /^(?:home|news|start)\s*(?:>|›|»|\/|\|)\s*\S.{0,140}$/i,
  },
];

/** A rule from configuration: an id and a pattern. */
export interface UserRule {
  id: string;
  pattern: RegExp;
}

const REPORTING = /\b(?:said|says|told|according to|added|warned|apologi[sz]ed|announced|confirmed|explained|urged|(?:was|were) published)\b/i;

/**
 * Whether a line reads as a sentence of reporting rather than page furniture: nine words or more, a verb of
 * reporting, and the end of a sentence ("Copyright lawyers said customers could sue.").
 */
export function reportedProse(line: string): boolean {
  if (!/[.!?]["”’)]?$/.test(line)) return false;
  let words = 1;
  for (let i = line.indexOf(' '); i >= 0 && words < 9; i = line.indexOf(' ', i + 1)) words++;
  return words >= 9 && REPORTING.test(line);
}

/** Phrase table (lineKey → rule id) for the built-in rules. */
const PHRASES = new Map<string, string>();
for (const r of RULES) for (const p of r.phrases ?? []) if (!PHRASES.has(p)) PHRASES.set(p, r.id);
/** The longest phrase key; longer lines skip the lookup. */
const PHRASE_MAX = Math.max(...[...PHRASES.keys()].map((k) => k.length)) + 8;
/** Pattern/test rules, longest maxLen first, so a long line stops early. */
const BY_LEN = RULES.filter((r) => r.pattern || r.test).sort((a, b) => (b.maxLen ?? Infinity) - (a.maxLen ?? Infinity));
export const RULE_BY_ID: ReadonlyMap<string, BoilerplateRule> = new Map(RULES.map((r) => [r.id, r]));

/**
 * The id of the first rule that removes `line`, or null. `line` is repaired and trimmed.
 * Built-in rules come first; user rules (`extra`) are tried after them.
 */
export function matchRule(
  line: string,
  ctx: RuleContext,
  disabled?: ReadonlySet<string>,
  extra?: readonly (BoilerplateRule | UserRule)[],
): string | null {
  const len = line.length;
  if (len <= PHRASE_MAX) {
    const id = PHRASES.get(ctx.key || lineKey(line));
    if (id !== undefined && !disabled?.has(id)) return id;
  }
  for (const r of BY_LEN) {
    if (len > (r.maxLen ?? Infinity)) break;
    if (disabled?.has(r.id)) continue;
    if (!((r.pattern && r.pattern.test(line)) || (r.test && r.test(line, ctx)))) continue;
    if (r.keepsProse && reportedProse(line)) continue;
    return r.id;
  }
  if (extra) {
    for (const r of extra) {
      if (disabled?.has(r.id)) continue;
      const rr = r as BoilerplateRule;
      if ((rr.pattern && rr.pattern.test(line)) || (rr.test && rr.test(line, ctx))) return r.id;
    }
  }
  return null;
}
