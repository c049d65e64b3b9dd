import { Layout } from "./layout.tsx";

export function SignInPage(props: { readonly next: string; readonly error?: string; readonly provider?: string }) {
  return (
    <Layout title="Sign in" principal={null}>
      {props.provider === undefined ? null : (
        <p class="sign-in">
          <a class="button" href={`/sign-in/oidc?next=${encodeURIComponent(props.next)}`}>
            Sign in with {props.provider}
          </a>
        </p>
      )}
      <form class="sign-in" method="post" action="/sign-in">
        <p>Sign in with your dashboard token (from whoever runs Evoke; npm start prints a demo one).</p>
        {props.error === undefined ? null : (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
        <label>
          Token
          <input type="password" name="token" autocomplete="current-password" required autofocus />
        </label>
        <input type="hidden" name="next" value={props.next} />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

export function ErrorPage(props: {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly principal: import("../access/principal.ts").Principal | null;
}) {
  return (
    <Layout title={props.title} principal={props.principal}>
      <p class="error" role="alert">
        {props.detail}
      </p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </Layout>
  );
}

/** After the provider's callback: a same-site step to the page, so the SameSite=Strict cookie is sent. */
export function SignedInPage(props: { readonly next: string }) {
  return (
    <Layout title="Signed in" principal={null}>
      <p>
        Signed in. <a href={props.next}>Continue</a>
      </p>
    </Layout>
  );
}

/** The provider vouched for the user, but the dashboard's rules give them no access. */
export function SignInRefusedPage(props: { readonly reason: string; readonly provider: string }) {
  return (
    <Layout title="Not allowed to sign in" principal={null}>
      <p class="error" role="alert">
        {props.provider} signed you in, but the dashboard cannot let you in. {props.reason}
      </p>
      <p>
        <a href="/sign-in">Back to sign-in</a>
      </p>
    </Layout>
  );
}
