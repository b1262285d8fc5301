import type { Language } from "../../shared/protocol/index.ts";
import type { ReferralCategory } from "./records.ts";

/**
 * Starting content for a fresh install. Every referral is marked `needs_verification`: numbers
 * and portals change (FIA's cyber crime wing became the National Cyber Crime Investigation
 * Agency, NCCIA, in 2024), so an admin must check each entry before go-live.
 */

export const SEED_CANNED: readonly Readonly<{
  language: Language;
  title: string;
  body: string;
  tags: readonly string[];
}>[] = [
  {
    language: "en",
    title: "Greeting",
    body: "Hello, thank you for reaching out. I'm here to listen and help. This chat is private and is not recorded. What would you like to tell me?",
    tags: ["greeting"],
  },
  {
    language: "en",
    title: "Immediate danger",
    body: "If you are in immediate danger, please call the police on 15 now. I will stay here with you.",
    tags: ["safety", "emergency"],
  },
  {
    language: "en",
    title: "Keep evidence",
    body: "Please keep the evidence: take screenshots of the messages, profiles and links, with the date and time visible, and don't delete them yet. Store them somewhere the other person cannot reach.",
    tags: ["evidence", "fia"],
  },
  {
    language: "en",
    title: "Closing",
    body: "Thank you for trusting us. You can come back to this helpline any time during opening hours. Take care of yourself.",
    tags: ["closing"],
  },
  {
    language: "ur",
    title: "خوش آمدید",
    body: "السلام علیکم، رابطہ کرنے کا شکریہ۔ میں آپ کی بات سننے اور مدد کے لیے یہاں ہوں۔ یہ گفتگو نجی ہے اور ریکارڈ نہیں کی جاتی۔ آپ کیا بتانا چاہیں گے؟",
    tags: ["greeting"],
  },
  {
    language: "ur",
    title: "فوری خطرہ",
    body: "اگر آپ کو فوری خطرہ ہے تو براہ کرم ابھی 15 پر پولیس کو کال کریں۔ میں یہیں آپ کے ساتھ ہوں۔",
    tags: ["safety", "emergency"],
  },
  {
    language: "ur",
    title: "ثبوت محفوظ رکھیں",
    body: "براہ کرم ثبوت محفوظ رکھیں: پیغامات، پروفائلز اور لنکس کے اسکرین شاٹ تاریخ اور وقت کے ساتھ لیں، اور انہیں ابھی نہ مٹائیں۔",
    tags: ["evidence", "fia"],
  },
  {
    language: "ur",
    title: "اختتام",
    body: "ہم پر بھروسہ کرنے کا شکریہ۔ آپ اوقات کار میں کسی بھی وقت اس ہیلپ لائن سے دوبارہ رابطہ کر سکتے ہیں۔ اپنا خیال رکھیں۔",
    tags: ["closing"],
  },
];

export const SEED_REFERRALS: readonly Readonly<{
  name: string;
  category: ReferralCategory;
  description: string;
  contact: string;
  howToPrepare: string;
  language: Language;
}>[] = [
  {
    name: "FIA Cyber Crime Wing (NR3C) / NCCIA",
    category: "law-enforcement",
    description:
      "Registers complaints about online harassment, blackmail, impersonation and non-consensual images under PECA 2016. VERIFY: the wing has moved to the National Cyber Crime Investigation Agency (NCCIA).",
    contact: "Helpline 1991; online complaint portal complaint.fia.gov.pk (check the current NCCIA portal)",
    howToPrepare:
      "CNIC copy, screenshots with dates and times, the profile links (URLs) of the harasser, phone numbers used, and a short written account.",
    language: "en",
  },
  {
    name: "DRF Cyber Harassment Helpline",
    category: "digital-security",
    description:
      "Digital Rights Foundation's free, confidential helpline: digital security help, legal advice and psychological support for online harassment.",
    contact: "0800-39393 (toll free, 9am-5pm every day); helpdesk@digitalrightsfoundation.pk",
    howToPrepare: "Screenshots and links; the platforms and accounts involved.",
    language: "en",
  },
  {
    name: "Legal aid",
    category: "legal-aid",
    description:
      "Free legal advice and representation, e.g. through the district bar association's free legal aid committee or DRF's legal team. VERIFY the local contact before go-live.",
    contact: "Add the local legal aid contact",
    howToPrepare: "CNIC copy, any FIR or complaint number, evidence collected so far.",
    language: "en",
  },
  {
    name: "Umang mental health helpline",
    category: "psychological",
    description: "Confidential emotional support and counselling by trained psychologists.",
    contact: "0311-7786264",
    howToPrepare: "Nothing needed; a quiet, private place to talk helps.",
    language: "en",
  },
  {
    name: "ایف آئی اے سائبر کرائم ونگ (این آر تھری سی) / این سی سی آئی اے",
    category: "law-enforcement",
    description:
      "آن لائن ہراسانی، بلیک میلنگ اور جعلی اکاؤنٹس کی شکایت درج کرتا ہے۔ تصدیق کریں: یہ ونگ اب این سی سی آئی اے میں منتقل ہو چکا ہے۔",
    contact: "ہیلپ لائن 1991؛ آن لائن شکایت complaint.fia.gov.pk",
    howToPrepare: "شناختی کارڈ کی کاپی، تاریخ اور وقت کے ساتھ اسکرین شاٹس، ہراساں کرنے والے کے پروفائل لنکس۔",
    language: "ur",
  },
  {
    name: "ڈی آر ایف سائبر ہراسمنٹ ہیلپ لائن",
    category: "digital-security",
    description:
      "ڈیجیٹل رائٹس فاؤنڈیشن کی مفت اور خفیہ ہیلپ لائن: ڈیجیٹل سیکیورٹی، قانونی مشورہ اور نفسیاتی مدد۔",
    contact: "0800-39393 (مفت، روزانہ صبح 9 سے شام 5 بجے)",
    howToPrepare: "اسکرین شاٹس اور لنکس۔",
    language: "ur",
  },
  {
    name: "امنگ ذہنی صحت ہیلپ لائن",
    category: "psychological",
    description: "تربیت یافتہ ماہرین نفسیات سے خفیہ جذباتی مدد۔",
    contact: "0311-7786264",
    howToPrepare: "کسی تیاری کی ضرورت نہیں۔",
    language: "ur",
  },
];
