import { type ComponentChildren, createContext } from "preact";
import { useContext, useMemo } from "preact/hooks";
import { en } from "./en.ts";
import { type Translate, translator, type UiLanguage } from "./translate.ts";
import { ur } from "./ur.ts";

type I18n = Readonly<{ t: Translate; language: UiLanguage; setLanguage: (language: UiLanguage) => void }>;

const I18nContext = createContext<I18n>({ t: translator(en), language: "en", setLanguage: () => {} });

export function I18nProvider(props: {
  language: UiLanguage;
  setLanguage: (l: UiLanguage) => void;
  children: ComponentChildren;
}) {
  const value = useMemo(
    () => ({
      t: translator(props.language === "ur" ? ur : en),
      language: props.language,
      setLanguage: props.setLanguage,
    }),
    [props.language, props.setLanguage],
  );
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export function useT(): Translate {
  return useContext(I18nContext).t;
}
