import { Button } from "@fluentui/react-components";
import type { Lang } from "../../core/types";
import { useMessages } from "../messages";

export type LanguageToggleProps = { onChange: (lang: Lang) => void };

/**
 * Switches the pane between Chinese and English; the label is written in the language it switches to, and the
 * accessible name starts with it (WCAG 2.5.3, label in name: a voice user says what they see).
 */
export function LanguageToggle({ onChange }: LanguageToggleProps) {
  const { t, lang } = useMessages();
  const other: Lang = lang === "zh-CN" ? "en-US" : "zh-CN";
  return (
    <Button size="small" appearance="subtle" aria-label={t("lang.switch")} onClick={() => onChange(other)}>
      <span lang={other}>{t("lang.other")}</span>
    </Button>
  );
}
