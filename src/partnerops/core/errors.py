"""Domain errors: raised by services, shown to people as plain sentences."""


class DomainError(Exception):
    """A business rule refused the request; the message says why, in domain words."""

    status_code = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(DomainError):
    """A move between states that the transition table does not allow."""


class AccessDenied(DomainError):
    """The actor's role does not allow this action."""

    status_code = 403
