import { Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMessages } from "../messages";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalS,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
});

export type AboutProps = {
  /** Where the self-test opens: taskpane.html?view=selftest in the add-in, selftest.html in the workbench. */
  selfTestHref: string;
};

/** What the pane says about itself: what the plan's data validation does and does not do, and the self-test. */
export function About({ selfTestHref }: AboutProps) {
  const { t } = useMessages();
  const styles = useStyles();
  return (
    <section className={styles.root} aria-labelledby="about-heading" id="about">
      <h2 className={styles.heading} id="about-heading">
        {t("about.title")}
      </h2>
      <Text size={200}>{t("about.validation")}</Text>
      <Link href={selfTestHref}>{t("about.selftest")}</Link>
    </section>
  );
}
