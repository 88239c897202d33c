// «Sign in with certificate (CN …)» on the login page, offered only when the browser
// presented a person's client certificate (the console opened on its mTLS address). One
// that cannot sign in (revoked, expired, on a blocked device…) is shown with the reason.
import { useTranslation } from "react-i18next";
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import { errorMessage } from "../../../lib/errors";
import { ApiError } from "../../../api/http";
import "../../../i18n/sections/certsignin";
import {
  useCertificateLogin,
  usePresentedCertificate,
} from "../api/certificate";

interface CertificateSignInProps {
  rememberMe: boolean;
  onDone: () => void;
  /** onStart lets the page clear the other sign-in errors. */
  onStart?: () => void;
}

export function CertificateSignIn({
  rememberMe,
  onDone,
  onStart,
}: CertificateSignInProps) {
  const { t } = useTranslation();
  const info = usePresentedCertificate();
  const signIn = useCertificateLogin();
  const cert = info.data;
  // A certificate bound to nobody (an integrated system's, on the cabinet's way in) is
  // none of the login page's business: the person signs in with their password.
  if (!cert?.presented || cert.code === "auth.certificateUnknown") return null;
  const cn = cert.common_name || cert.subject || "";
  const reason = signIn.isError
    ? errorMessage(t, signIn.error)
    : !cert.usable && cert.code
    ? errorMessage(
        t,
        new ApiError({ status: 401, code: cert.code, detail: cert.code })
      )
    : null;
  return (
    <div style={{ marginBottom: 16 }}>
      {reason && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          message={t("login.certificate.refused", { cn, reason })}
        />
      )}
      <Button
        type="primary"
        block
        // A long CN wraps instead of running past the card's edges.
        style={{ whiteSpace: "normal", height: "auto", minHeight: 32, paddingBlock: 4 }}
        loading={signIn.isPending}
        onClick={() => {
          onStart?.();
          signIn.mutate(rememberMe, { onSuccess: onDone });
        }}
      >
        {cn
          ? t("login.certificate.signInAs", { cn })
          : t("login.certificate.signIn")}
      </Button>
    </div>
  );
}
