import type { Language } from "../../../shared/protocol/envelopes.ts";

/**
 * The screenshot picker's words, in English and Urdu. Loaded with the picker once a chat is
 * open (not with the first screen), which keeps the frame's first load within its budget.
 */
const en = {
  addImage: "Add a screenshot",
  imagePreview: "Screenshot to send",
  imageCleaned: "Location and camera details removed",
  imageSend: "Send screenshot",
  imageCancel: "Cancel",
  imagePreparing: "Preparing the screenshot…",
  imageFromCounselor: "Image from the counselor",
  imageOpen: "Image from the counselor: show it larger",
  imageClose: "Close the larger image",
  imageIncomingFailed:
    "An image from the counselor could not be received (it arrived incomplete or damaged).",
  imageError: {
    unsupported: "This file is not an image this browser can open. Choose a screenshot or photo.",
    "too-large": "This image is too large to send, even made smaller.",
    "too-many": "You have sent as many images as one chat allows.",
    "too-fast": "Please wait a minute before sending another image.",
  },
};

export type ImageStrings = typeof en;

const ur: ImageStrings = {
  addImage: "اسکرین شاٹ شامل کریں",
  imagePreview: "بھیجا جانے والا اسکرین شاٹ",
  imageCleaned: "مقام اور کیمرے کی تفصیلات ہٹا دی گئی ہیں",
  imageSend: "اسکرین شاٹ بھیجیں",
  imageCancel: "منسوخ کریں",
  imagePreparing: "اسکرین شاٹ تیار کیا جا رہا ہے…",
  imageFromCounselor: "کونسلر کی بھیجی ہوئی تصویر",
  imageOpen: "کونسلر کی بھیجی ہوئی تصویر: بڑی کر کے دیکھیں",
  imageClose: "بڑی تصویر بند کریں",
  imageIncomingFailed: "کونسلر کی بھیجی ہوئی ایک تصویر موصول نہیں ہو سکی (وہ نامکمل یا خراب پہنچی)۔",
  imageError: {
    unsupported: "یہ فائل ایسی تصویر نہیں جو یہ براؤزر کھول سکے۔ کوئی اسکرین شاٹ یا تصویر منتخب کریں۔",
    "too-large": "یہ تصویر بھیجنے کے لیے بہت بڑی ہے، چھوٹی کرنے کے بعد بھی۔",
    "too-many": "ایک چیٹ میں جتنی تصاویر بھیجی جا سکتی ہیں، آپ بھیج چکے ہیں۔",
    "too-fast": "دوسری تصویر بھیجنے سے پہلے ایک منٹ انتظار کریں۔",
  },
};

export const IMAGE_STRINGS: Readonly<Record<Language, ImageStrings>> = { en, ur };
