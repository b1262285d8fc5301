import type { Catalogue } from "./catalogue.ts";

/** Urdu catalogue (right to left). Typed as the English shape: a missing key fails to compile. */
export const ur: Catalogue = {
  appName: "سہارا",
  quickExit: "فوری باہر نکلیں",
  quickExitHint: "یہ صفحہ فوراً چھوڑ دیتا ہے اور چیٹ مٹا دیتا ہے۔ آپ تین بار Shift بھی دبا سکتے ہیں۔",
  hide: "چیٹ کی کھڑکی چھپائیں",
  language: "زبان",
  loading: "لوڈ ہو رہا ہے…",

  closedTitle: "ہم اس وقت بند ہیں",
  closedBody: "آپ ہمارے اوقاتِ کار میں کاؤنسلر سے بات کر سکتے ہیں۔ یہاں کچھ بھی محفوظ نہیں کیا جاتا۔",
  hoursTitle: "اوقاتِ کار",
  hoursHelpline: (zone) => `ہیلپ لائن کا وقت (${zone})`,
  hoursYours: "آپ کا وقت",
  hoursSameZone: "آپ کے وقت کے مطابق۔",
  hoursClosedDay: "بند",
  holidaysTitle: "چھٹیاں",
  nextOpening: (helpline, yours) =>
    `ہم دوبارہ ${helpline} (ہیلپ لائن کا وقت) کھلیں گے، یعنی آپ کے وقت کے مطابق ${yours}۔`,
  resourcesTitle: "اگر آپ کو ابھی مدد چاہیے",

  startTitle: "کاؤنسلر سے بات کریں",
  startIntro: "ایک تربیت یافتہ کاؤنسلر آپ سے چیٹ کرے گا۔ آپ کو اپنا نام بتانے کی ضرورت نہیں۔",
  forWhomLegend: "یہ چیٹ کس کے لیے ہے؟ (اختیاری)",
  forWhomSelf: "میرے لیے",
  forWhomOther: "کسی جاننے والے کے لیے",
  privacyTitle: "آپ کی رازداری",
  privacyNote:
    "آپ کے پیغامات اسی ڈیوائس پر خفیہ کیے جاتے ہیں اور صرف کاؤنسلر انہیں پڑھ سکتا ہے۔ نہ اس ڈیوائس پر اور نہ ہمارے سرور پر کچھ محفوظ ہوتا ہے: چیٹ ختم ہوتے ہی مٹا دی جاتی ہے۔",
  startButton: "چیٹ شروع کریں",
  startError: {
    "config-failed": "ہیلپ لائن کی معلومات لوڈ نہیں ہو سکیں۔ آپ پھر بھی چیٹ شروع کرنے کی کوشش کر سکتے ہیں۔",
    "closed-now": "ہیلپ لائن ابھی بند ہوئی ہے۔",
    "queue-full": "تمام کاؤنسلر مصروف ہیں اور قطار بھری ہوئی ہے۔ براہِ کرم چند منٹ بعد کوشش کریں۔",
    "rate-limited": "بہت زیادہ کوششیں۔ براہِ کرم ایک منٹ انتظار کر کے دوبارہ کوشش کریں۔",
    "connect-failed": "رابطہ نہیں ہو سکا۔ اپنا کنکشن دیکھیں اور دوبارہ کوشش کریں۔",
    "pow-failed": "محفوظ کنکشن قائم نہیں ہو سکا۔ براہِ کرم دوبارہ کوشش کریں۔",
  },

  waitingTitle: "آپ کو کاؤنسلر سے ملایا جا رہا ہے",
  waitingPhase: {
    connecting: "محفوظ رابطہ ہو رہا ہے…",
    solving: "محفوظ کنکشن تیار ہو رہا ہے…",
    joining: "قطار میں شامل ہو رہے ہیں…",
    queued: "آپ قطار میں ہیں۔",
    verifying: "ایک کاؤنسلر شامل ہو رہا ہے۔ ان کی شناخت کی تصدیق ہو رہی ہے…",
  },
  progressLabel: "محفوظ کنکشن کی تیاری",
  queuePosition: (position) =>
    position <= 1 ? "اگلی باری آپ کی ہے۔" : `قطار میں آپ کا نمبر ${position} ہے۔`,
  estimatedWait: (minutes) =>
    minutes <= 1 ? "متوقع انتظار: تقریباً ایک منٹ۔" : `متوقع انتظار: تقریباً ${minutes} منٹ۔`,
  leaveQueue: "قطار چھوڑ دیں",

  chatWith: (name) => `${name} سے چیٹ`,
  counselorPending: "کاؤنسلر کا انتظار ہے…",
  safetyCode: "حفاظتی کوڈ",
  safetyCodeHelp: "آپ کے کاؤنسلر کو بھی یہی کوڈ نظر آتا ہے۔ اگر ان کا کوڈ مختلف ہو تو چیٹ ختم کر دیں۔",
  transcript: "گفتگو",
  you: "آپ",
  messageLabel: "آپ کا پیغام",
  send: "بھیجیں",
  typing: (name) => `${name} لکھ رہے ہیں…`,
  messageState: {
    sending: "بھیجا جا رہا ہے",
    sent: "بھیج دیا گیا",
    delivered: "پہنچ گیا",
    read: "پڑھ لیا گیا",
    undelivered: "نہیں پہنچا",
  },
  joined: (name) => `${name} چیٹ میں شامل ہو گئے۔`,
  transferring: "آپ کے کاؤنسلر چیٹ اپنے ساتھی کے حوالے کر رہے ہیں۔ براہِ کرم انتظار کریں۔",
  reconnected: "دوبارہ رابطہ ہو گیا۔",
  reconnecting: "رابطہ ٹوٹ گیا۔ دوبارہ جوڑا جا رہا ہے…",
  endChat: "چیٹ ختم کریں",

  endedTitle: "یہ گفتگو مٹا دی گئی ہے",
  endedBody: "اس کا کچھ بھی اس ڈیوائس پر باقی نہیں۔",
  endReason: {
    "you-ended": "آپ نے چیٹ ختم کی۔",
    "counselor-ended": "کاؤنسلر نے چیٹ ختم کی۔",
    idle: "غیر فعال رہنے کی وجہ سے چیٹ ختم ہو گئی۔",
    "page-hidden": "صفحہ چھوڑنے پر چیٹ ختم ہو گئی۔",
    "server-shutdown": "سروس دوبارہ شروع ہوئی۔ براہِ کرم نئی چیٹ شروع کریں۔",
    "transfer-failed": "چیٹ منتقل نہیں ہو سکی۔ براہِ کرم نئی چیٹ شروع کریں۔",
    expired: "چیٹ کی مدت ختم ہو گئی۔",
    "verify-failed": "ہم کاؤنسلر کی شناخت کی تصدیق نہیں کر سکے، اس لیے آپ کی حفاظت کے لیے چیٹ روک دی گئی۔",
    "connection-lost": "رابطہ بہت دیر تک منقطع رہا۔",
    "relay-error": "کنکشن میں کوئی خرابی ہوئی۔",
  },
  startAgain: "نئی چیٹ شروع کریں",
};
