"""REST framework serializers for the Wagtail API v2 fields of directory models."""

from rest_framework import serializers


class SnippetSerializer(serializers.Serializer):
    """Name and slug of a category, district or initiative."""

    name = serializers.CharField()
    slug = serializers.CharField()


class InitiativeSerializer(SnippetSerializer):
    hashtag = serializers.CharField()
    link = serializers.URLField()


class LocationSerializer(serializers.Serializer):
    def to_representation(self, page):
        if page.latitude is None:
            return None
        return {"latitude": float(page.latitude), "longitude": float(page.longitude)}
