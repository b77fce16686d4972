import { useEffect, useRef } from "react";
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { describeError } from "../describeError";
import { useMessages } from "../messages";
import type { OperationFailure } from "../usePlanOperations";

const useStyles = makeStyles({
  action: { display: "block", marginTop: tokens.spacingVerticalXS },
  done: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

export type ErrorBarProps = { failure: OperationFailure; onDismiss: () => void };

/** Says what went wrong and what to do; takes focus so keyboard and screen-reader users land on it. */
export function ErrorBar({ failure, onDismiss }: ErrorBarProps) {
  const { t, lang } = useMessages();
  const styles = useStyles();
  const ref = useRef<HTMLDivElement>(null);
  const view = describeError(failure.error, lang, failure.sheet === undefined ? {} : { sheet: failure.sheet });

  useEffect(() => {
    ref.current?.focus();
  }, [failure]);

  return (
    <MessageBar intent="error" layout="multiline" ref={ref} tabIndex={-1} role="alert" data-error-code={view.code}>
      <MessageBarBody>
        <MessageBarTitle>{view.what}</MessageBarTitle>
        <span className={styles.action}>{view.action}</span>
        {view.done.length > 0 && (
          <>
            <span className={styles.action}>{t("error.doneBefore")}</span>
            <ul className={styles.done}>
              {view.done.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </>
        )}
      </MessageBarBody>
      <MessageBarActions
        containerAction={
          <Button
            appearance="transparent"
            aria-label={t("error.dismiss")}
            onClick={onDismiss}
            icon={<span aria-hidden="true">×</span>}
          />
        }
      />
    </MessageBar>
  );
}
