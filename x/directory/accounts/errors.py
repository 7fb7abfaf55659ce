class DecisionError(Exception):
    """An editor's decision that cannot be carried out (already decided, already owned...)."""


class VerificationError(Exception):
    def __init__(self, message: str, expired: bool = False):
        super().__init__(message)
        self.expired = expired
